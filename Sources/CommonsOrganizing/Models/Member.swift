import CommonsContent
import FluentKit
import Foundation
import SQLKit

/// An organization of the coalition (a parent group, a union local): who it is, where it works,
/// which languages its staff speak, and its logo. Members co-sponsor campaigns and events, and
/// their websites carry the coalition's forms (`/embed/…?via=SLUG`).
public final class Member: Model, @unchecked Sendable {
    public static let schema = "members"

    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "name") public var name: String
    /// Markdown.
    @Field(key: "description") public var description: String {
        didSet { descriptionHTML = MarkdownRenderer().html(from: description) }
    }
    /// The description rendered when it was set; views never parse Markdown.
    @Field(key: "description_html") public internal(set) var descriptionHTML: String
    /// Its own website (http or https), empty when none.
    @Field(key: "website") public var website: String
    /// The boroughs or neighbourhoods it serves, comma-separated as typed ("Bronx, Harlem").
    @Field(key: "areas") public var areas: String
    /// The languages its staff speak: codes, comma-separated (`en,es,bn`).
    @Field(key: "languages") public var languages: String
    /// A public contact (an email address or a phone number), empty when none.
    @Field(key: "contact") public var contact: String
    /// Where it stands in the list: lower first, then by name.
    @Field(key: "position") public var position: Int
    /// The logo as served: a PNG, JPEG or WebP as uploaded, or an SVG with shapes only.
    @OptionalField(key: "logo") public var logo: Data?
    /// The logo's media type, empty when there is none.
    @Field(key: "logo_type") public var logoType: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $slug, $name, $description, $descriptionHTML, $website, $areas, $languages, $contact, $position, $logo, $logoType, $createdAt,
            $updatedAt,
        ]
    }

    public init() {}

    public var areaList: [String] {
        areas.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public var languageList: [String] {
        languages.split(separator: ",").map(String.init)
    }
}

/// A member named as a co-sponsor of a campaign or an event (one of the two is set).
public final class Cosponsorship: Model, @unchecked Sendable {
    public static let schema = "member_cosponsorships"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "member_id") public var member: Member
    @OptionalParent(key: "campaign_id") public var campaign: Campaign?
    @OptionalParent(key: "event_id") public var event: Event?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $member, $campaign, $event] }

    public init() {}
}

public struct CreateMembers: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(Member.schema)
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("description_html", .string, .required)
            .field("website", .string, .required)
            .field("areas", .string, .required)
            .field("languages", .string, .required)
            .field("contact", .string, .required)
            .field("position", .int, .required)
            .field("logo", .data)
            .field("logo_type", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
        try await database.schema(Cosponsorship.schema)
            .id()
            .field("member_id", .uuid, .required, .references(Member.schema, "id", onDelete: .cascade))
            .field("campaign_id", .uuid, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("event_id", .uuid, .references(Event.schema, "id", onDelete: .cascade))
            .create()
        // Which member's website a form was sent from (`?via=SLUG` on an embed); counts only.
        try await database.schema(Action.schema).field("via_member_id", .uuid).update()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "member_cosponsorships_campaign").on(Cosponsorship.schema).column("campaign_id").run()
        try await sql.create(index: "member_cosponsorships_event").on(Cosponsorship.schema).column("event_id").run()
        try await sql.create(index: "member_cosponsorships_member").on(Cosponsorship.schema).column("member_id").run()
        try await sql.create(index: "actions_via_member").on(Action.schema).column("via_member_id").run()
        // The coalition's pages (and the campaign and event pages naming co-sponsors) are cached.
        try await TrackContentChanges.addTriggers(to: [Member.schema, Cosponsorship.schema], on: database)
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(Cosponsorship.schema).delete()
        try await database.schema(Member.schema).delete()
        try await database.schema(Action.schema).deleteField("via_member_id").update()
    }
}
