import FluentKit

public struct CreateCampaigns: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Campaign.schema)
            .id()
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("kind", .string, .required)
            .field("description", .string, .required)
            .field("petition_text", .string, .required)
            .field("petition_target", .string, .required)
            .field("goal", .int)
            .field("status", .string, .required)
            .field("thank_you", .string, .required)
            .field("featured", .bool, .required)
            .field("supporter_tags", .string, .required)
            .field("asked_fields", .string, .required)
            .field("required_fields", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(Campaign.schema).delete()
    }
}

/// The organizing migrations in the order they must run.
public enum OrganizingMigrations {
    public static var all: [any Migration] {
        [
            // The mail fields come right after the tables: later migrations load these models.
            CreateCampaigns(), CreateEvents(), CreateSupporters(), AddMailFieldsToOrganizing(), AddSubmittedValuesToActions(),
            IndexSupporterNamesAndOrder(),
        ]
    }
}
