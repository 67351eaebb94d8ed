import FluentKit
import Foundation

/// A message to the list: one subject and body per language, an audience, a time to send.
public final class Mailing: Model, @unchecked Sendable {
    public static let schema = "mailings"

    public enum Status: String, Codable, Sendable {
        /// Being written.
        case draft
        /// Waits for `sendAt`.
        case scheduled
        /// Its copies are being made, a thousand at a time (each thousand in the outbox, and
        /// on its way, as soon as it is made); `updatedAt` is the heartbeat of the server doing it.
        case queueing
        /// Its copies are in the outbox.
        case queued
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "status") public var status: Status
    /// The audience as the supporter list's filter (`SupporterFilter`), JSON.
    @Field(key: "audience") var audienceJSON: String
    @OptionalField(key: "send_at") public var sendAt: Date?
    @OptionalField(key: "queued_at") public var queuedAt: Date?
    /// People the copies were made for, and how many were left out as suppressed.
    @Field(key: "recipients") public var recipients: Int
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @Children(for: \.$mailing) public var versions: [MailingVersion]

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [$id, $status, $audienceJSON, $sendAt, $queuedAt, $recipients, $createdBy, $createdAt, $updatedAt, $versions]
    }

    public init() {}
}

/// A mailing's words in one language (Markdown body).
public final class MailingVersion: Model, @unchecked Sendable {
    public static let schema = "mailing_versions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "mailing_id") public var mailing: Mailing
    @Field(key: "language") public var language: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $mailing, $language, $subject, $body] }

    public init() {}
}
