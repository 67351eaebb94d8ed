import FluentKit
import Foundation

/// One message on its way to one person. The row is committed before a byte is sent and marked
/// sent only after the relay's `250`, so a crash loses nothing; the recipient and the message
/// are sealed like supporter data (see `Outbox`).
public final class OutboxMessage: Model, @unchecked Sendable {
    public static let schema = "outbox"

    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A sign-up or petition confirmation.
        case confirmation
        /// An RSVP confirmation, with the event's calendar file.
        case rsvp
        /// The day-before reminder of an event.
        case reminder
        /// A seat came free: off the waitlist.
        case waitlistPromotion = "waitlist_promotion"
        /// The event was cancelled.
        case cancellation
        /// A change to a stored record waits for its owner's yes.
        case changeConfirmation = "change_confirmation"
        /// One copy of a mailing.
        case mailing
        /// The link a supporter asked for, to see their own data.
        case selfService = "self_service"
        /// "Send a test to me", and `commons mail test`.
        case test
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for its time, or for a retry.
        case queued
        /// Accepted by the relay (its `250`).
        case sent
        /// Refused for good, or still failing after three days.
        case failed
        /// Not sent: the address had unsubscribed or bounced before its turn came.
        case suppressed
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "kind") public var kind: Kind
    @Field(key: "status") public var status: Status
    @OptionalField(key: "supporter_id") public var supporterID: UUID?
    @OptionalField(key: "mailing_id") public var mailingID: UUID?
    /// Sealed address (`outbox.recipient`).
    @Field(key: "recipient") var recipient: Data
    /// Keyed hash of the address, to honour the suppression list without opening rows.
    @Field(key: "recipient_index") var recipientIndex: String
    /// Sealed RFC 5322 message (`outbox.content`); emptied 30 days after sending.
    @OptionalField(key: "content") var content: Data?
    @Field(key: "language") public var language: String
    /// At most one message per key (`reminder:ACTION`): a second enqueue is a no-op.
    @OptionalField(key: "dedupe_key") var dedupeKey: String?
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    /// A server's claim on the row while it sends it; a claim that runs out is anyone's again.
    @OptionalField(key: "claimed_until") var claimedUntil: Date?
    /// The relay's last answer, code only (see `SMTPReply.summary`): no address, no words.
    @OptionalField(key: "last_error") public var lastError: String?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "sent_at") public var sentAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $kind, $status, $supporterID, $mailingID, $recipient, $recipientIndex, $content, $language, $dedupeKey, $attempts, $nextAttemptAt,
            $claimedUntil, $lastError, $createdAt, $sentAt,
        ]
    }

    public init() {}
}

/// An address that must not get mail again: it unsubscribed everywhere or bounced for good.
/// Only a keyed hash of the address is kept.
public final class MailSuppression: Model, @unchecked Sendable {
    public static let schema = "mail_suppressions"

    @ID(custom: "email_index", generatedBy: .user) public var id: String?
    @Field(key: "reason") public var reason: String
    @Field(key: "created_at") public var createdAt: Date

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $reason, $createdAt] }

    public init() {}
}
