import CommonsContent
import FluentKit
import Foundation

/// A campaign people join from the site: a sign-up list or a petition.
public final class Campaign: Model, @unchecked Sendable {
    public static let schema = "campaigns"

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case signup
        case petition
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        case open
        case closed
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "title") public var title: String
    @Field(key: "kind") public var kind: Kind
    /// Markdown.
    @Field(key: "description") public var description: String {
        didSet { descriptionHTML = MarkdownRenderer().html(from: description) }
    }
    /// The description rendered when it was set; views never parse Markdown.
    @Field(key: "description_html") public internal(set) var descriptionHTML: String
    /// The petition's words, for petitions.
    @Field(key: "petition_text") public var petitionText: String
    /// Whom the petition is addressed to, for petitions.
    @Field(key: "petition_target") public var petitionTarget: String
    @OptionalField(key: "goal") public var goal: Int?
    @Field(key: "status") public var status: Status
    @Field(key: "thank_you") public var thankYou: String
    /// Shown on the home page; at most one campaign at a time.
    @Field(key: "featured") public var featured: Bool
    /// Tags every person who joins gets, comma-separated.
    @Field(key: "supporter_tags") public var supporterTags: String
    /// The optional fields the form asks for, comma-separated (`phone,postal_code,school`).
    @Field(key: "asked_fields") public var askedFields: String
    /// Which of the asked fields must be filled in.
    @Field(key: "required_fields") public var requiredFields: String
    /// Each person who signs gets a confirmation in their language.
    @Field(key: "sends_confirmation") public var sendsConfirmation: Bool
    /// A new "yes" to email news counts only once the person confirms it from their inbox.
    @Field(key: "double_opt_in") public var doubleOptIn: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $slug, $title, $kind, $description, $descriptionHTML, $petitionText, $petitionTarget, $goal, $status, $thankYou, $featured,
            $supporterTags, $askedFields, $requiredFields, $sendsConfirmation, $doubleOptIn, $createdAt, $updatedAt,
        ]
    }

    public init() {}
}

extension Campaign {
    public var tagList: [String] { supporterTags.split(separator: ",").map(String.init) }
    public var asked: Set<PersonField> { PersonField.set(askedFields) }
    public var required: Set<PersonField> { PersonField.set(requiredFields) }
}
