import CommonsCore
import FluentKit
import Foundation

/// What a webhook can be told about.
public enum WebhookEvent: String, Codable, Sendable, CaseIterable {
    case personCreated = "person.created"
    case personUpdated = "person.updated"
    case personUnsubscribed = "person.unsubscribed"
    case signatureCreated = "signature.created"
    case attendanceCreated = "attendance.created"
    case submissionCreated = "submission.created"
}

/// A partner's address that is told, by a signed POST, when something happens to supporters.
public final class Webhook: Model, @unchecked Sendable {
    public static let schema = "webhooks"

    @ID(key: .id) public var id: UUID?
    @Field(key: "url") public var url: String
    /// The events it wants, comma-separated (`person.created,signature.created`).
    @Field(key: "events") var eventList: String
    /// The signing secret, sealed like supporter data (it must be read to sign).
    @Field(key: "secret") var secret: Data
    @Field(key: "active") public var active: Bool
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @Field(key: "created_at") public var createdAt: Date
    /// Since when every delivery has failed; nil after a success.
    @OptionalField(key: "failing_since") public var failingSince: Date?
    @OptionalField(key: "disabled_at") public var disabledAt: Date?
    /// Why it was turned off, for the admins: the last answer it gave.
    @OptionalField(key: "disabled_reason") public var disabledReason: String?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [$id, $url, $eventList, $secret, $active, $createdBy, $createdAt, $failingSince, $disabledAt, $disabledReason]
    }

    public init() {}

    public var events: Set<WebhookEvent> { Set(eventList.split(separator: ",").compactMap { WebhookEvent(rawValue: String($0)) }) }
}

/// One event on its way to one webhook: a row committed with the change it tells of, sent
/// with retries until the partner answers 2xx or three days pass.
public final class WebhookDelivery: Model, @unchecked Sendable {
    public static let schema = "webhook_deliveries"

    public enum Status: String, Codable, Sendable {
        case queued, delivered, failed
    }

    /// Also the `Commons-Delivery` header: the partner can drop a delivery it has seen.
    @ID(key: .id) public var id: UUID?
    @Parent(key: "webhook_id") public var webhook: Webhook
    @Field(key: "event") public var event: WebhookEvent
    /// The JSON body, sealed (it names a person); emptied once the delivery is done.
    @OptionalField(key: "body") var body: Data?
    @Field(key: "status") public var status: Status
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "claimed_until") var claimedUntil: Date?
    /// The partner's last HTTP status, when it answered.
    @OptionalField(key: "response_code") public var responseCode: Int?
    @OptionalField(key: "last_error") public var lastError: String?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [$id, $webhook, $event, $body, $status, $attempts, $nextAttemptAt, $claimedUntil, $responseCode, $lastError, $createdAt, $finishedAt]
    }

    public init() {}
}

public struct CreateWebhooks: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Webhook.schema)
            .id()
            .field("url", .string, .required)
            .field("events", .string, .required)
            .field("secret", .data, .required)
            .field("active", .bool, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("failing_since", .datetime)
            .field("disabled_at", .datetime)
            .field("disabled_reason", .string)
            .create()
        try await database.schema(WebhookDelivery.schema)
            .id()
            .field("webhook_id", .uuid, .required, .references(Webhook.schema, "id", onDelete: .cascade))
            .field("event", .string, .required)
            .field("body", .data)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("response_code", .int)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("finished_at", .datetime)
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(WebhookDelivery.schema).delete()
        try await database.schema(Webhook.schema).delete()
    }
}
