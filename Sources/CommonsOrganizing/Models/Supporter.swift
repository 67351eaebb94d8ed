import CommonsContent
import FluentKit
import Foundation

/// A person who joined a campaign or came to an event. Names, email, phone and school are
/// stored encrypted (see `SupporterVault`); the email and phone are found by blind index.
public final class Supporter: Model, @unchecked Sendable {
    public static let schema = "supporters"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "given_name") var givenName: Data?
    @OptionalField(key: "family_name") var familyName: Data?
    @OptionalField(key: "email") var email: Data?
    @OptionalField(key: "email_index") var emailIndex: String?
    @OptionalField(key: "phone") var phone: Data?
    @OptionalField(key: "phone_index") var phoneIndex: String?
    /// Keyed hashes of the name's words, space-separated and space-enclosed (see `SupporterVault.nameIndex`).
    @OptionalField(key: "name_index") var nameIndex: String?
    @OptionalField(key: "school") var school: Data?
    @OptionalField(key: "postal_code") public var postalCode: String?
    @OptionalField(key: "preferred_language") public var preferredLanguage: String?
    @OptionalField(key: "role") public var role: String?
    @Field(key: "email_opt_in") public var emailOptIn: Bool
    @Field(key: "sms_opt_in") public var smsOptIn: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    @Field(key: "last_action_at") public var lastActionAt: Date
    @Children(for: \.$supporter) public var actions: [Action]

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $givenName, $familyName, $email, $emailIndex, $phone, $phoneIndex, $nameIndex, $school, $postalCode, $preferredLanguage, $role,
            $emailOptIn, $smsOptIn, $createdAt, $updatedAt, $lastActionAt, $actions,
        ]
    }

    public init() {}
}

/// A label on a supporter, such as a campaign's "sanctuary-schools".
public final class SupporterTag: Model, @unchecked Sendable {
    public static let schema = "supporter_tags"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "supporter_id") public var supporter: Supporter
    @Field(key: "name") public var name: String

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $supporter, $name] }

    public init() {}
}

/// One thing a supporter did: joined a sign-up, signed a petition, answered an event.
public final class Action: Model, @unchecked Sendable {
    public static let schema = "actions"

    public enum Kind: String, Codable, Sendable {
        case signup, petition, rsvp
        /// Asked for no more mailings (the link in every mailing).
        case unsubscribe
        /// The address refused mail for good; mailings stopped.
        case bounce
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "supporter_id") public var supporter: Supporter
    @OptionalParent(key: "campaign_id") public var campaign: Campaign?
    @OptionalParent(key: "event_id") public var event: Event?
    @Field(key: "kind") public var kind: Kind
    /// The one-time id of the form that sent it; a second post of the same form finds it here.
    @Field(key: "form_token") public var formToken: String
    @Field(key: "email_opt_in") public var emailOptIn: Bool
    @Field(key: "sms_opt_in") public var smsOptIn: Bool
    /// Which consent text the person saw and agreed to, when they agreed to any.
    @OptionalField(key: "consent_version") public var consentVersion: String?
    @OptionalField(key: "consented_at") public var consentedAt: Date?
    /// People coming along, for an RSVP.
    @Field(key: "guests") public var guests: Int
    @Field(key: "waitlisted") public var waitlisted: Bool
    @Field(key: "created_at") public var createdAt: Date
    /// The person as this form described them, sealed like a supporter's values (see
    /// `SupporterVault.submission(of:)`): an anonymous form never overwrites a stored record,
    /// so what it said is kept here for staff to compare and apply by hand.
    @OptionalField(key: "submitted") public var submitted: Data?
    /// The language of the page the form was on (what follows is written in it).
    @OptionalField(key: "language") public var language: String?
    /// When the person confirmed, from the address on file, what this action asked to change
    /// on their record (see `ChangeConfirmations`).
    @OptionalField(key: "confirmed_at") public var confirmedAt: Date?
    /// When this RSVP moved off the waitlist (the person is told by email).
    @OptionalField(key: "promoted_at") public var promotedAt: Date?
    /// The member organization whose website the form was embedded on (`?via=SLUG`), if any.
    @OptionalField(key: "via_member_id") public var viaMemberID: UUID?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $supporter, $campaign, $event, $kind, $formToken, $emailOptIn, $smsOptIn, $consentVersion, $consentedAt, $guests, $waitlisted,
            $createdAt, $submitted, $language, $confirmedAt, $promotedAt, $viaMemberID,
        ]
    }

    public init() {}
}

/// An event people RSVP to: a press conference, a training, a rally.
public final class Event: Model, @unchecked Sendable {
    public static let schema = "events"

    public enum Status: String, Codable, Sendable {
        case scheduled, cancelled
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "title") public var title: String
    /// Markdown.
    @Field(key: "description") public var description: String {
        didSet { descriptionHTML = MarkdownRenderer().html(from: description) }
    }
    /// The description rendered when it was set; views never parse Markdown.
    @Field(key: "description_html") public internal(set) var descriptionHTML: String
    @Field(key: "starts_at") public var startsAt: Date
    @Field(key: "ends_at") public var endsAt: Date
    /// An IANA zone, America/New_York unless the event says otherwise.
    @Field(key: "time_zone") public var timeZone: String
    @Field(key: "venue") public var venue: String
    @Field(key: "address") public var address: String
    /// Shown only to people who RSVP'd.
    @OptionalField(key: "online_url") public var onlineURL: String?
    @OptionalField(key: "capacity") public var capacity: Int?
    @Field(key: "status") public var status: Status
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $slug, $title, $description, $descriptionHTML, $startsAt, $endsAt, $timeZone, $venue, $address, $onlineURL, $capacity, $status,
            $createdAt, $updatedAt,
        ]
    }

    public init() {}
}
