import FluentKit
import SQLKit

public struct CreateEvents: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Event.schema)
            .id()
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("time_zone", .string, .required)
            .field("venue", .string, .required)
            .field("address", .string, .required)
            .field("online_url", .string)
            .field("capacity", .int)
            .field("status", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
        try await (database as! any SQLDatabase).create(index: "events_starts_at").on(Event.schema).column("starts_at").run()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(Event.schema).delete()
    }
}

public struct CreateSupporters: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Supporter.schema)
            .id()
            .field("given_name", .data)
            .field("family_name", .data)
            .field("email", .data)
            .field("email_index", .string)
            .field("phone", .data)
            .field("phone_index", .string)
            .field("school", .data)
            .field("postal_code", .string)
            .field("preferred_language", .string)
            .field("role", .string)
            .field("email_opt_in", .bool, .required)
            .field("sms_opt_in", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("last_action_at", .datetime, .required)
            .unique(on: "email_index")
            .create()
        let sql = database as! any SQLDatabase
        // Blind indexes only: never an index on a low-variety field such as a postal code.
        try await sql.create(index: "supporters_phone_index").on(Supporter.schema).column("phone_index").run()
        try await database.schema(SupporterTag.schema)
            .id()
            .field("supporter_id", .uuid, .required, .references(Supporter.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .unique(on: "supporter_id", "name")
            .create()
        try await database.schema(Action.schema)
            .id()
            .field("supporter_id", .uuid, .required, .references(Supporter.schema, "id", onDelete: .cascade))
            .field("campaign_id", .uuid, .references(Campaign.schema, "id", onDelete: .setNull))
            .field("event_id", .uuid, .references(Event.schema, "id", onDelete: .setNull))
            .field("kind", .string, .required)
            .field("form_token", .string, .required)
            .field("email_opt_in", .bool, .required)
            .field("sms_opt_in", .bool, .required)
            .field("consent_version", .string)
            .field("consented_at", .datetime)
            .field("guests", .int, .required)
            .field("waitlisted", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "form_token")
            .create()
        try await sql.create(index: "actions_supporter_id").on(Action.schema).column("supporter_id").run()
        try await sql.create(index: "actions_campaign_id").on(Action.schema).column("campaign_id").run()
        try await sql.create(index: "actions_event_id").on(Action.schema).column("event_id").run()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(Action.schema).delete()
        try await database.schema(SupporterTag.schema).delete()
        try await database.schema(Supporter.schema).delete()
    }
}
