import FluentKit
import SQLKit

/// Campaigns and events keep their description rendered beside its Markdown; existing rows are
/// rendered once here, so no view parses Markdown on a reader's request.
public struct StoreRenderedDescriptions: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        for schema in [Campaign.schema, Event.schema] {
            try await (database as! any SQLDatabase).raw("ALTER TABLE \(ident: schema) ADD COLUMN description_html TEXT NOT NULL DEFAULT ''").run()
        }
        try await database.transaction { db in
            for campaign in try await Campaign.query(on: db).all() {
                campaign.description = campaign.description
                try await campaign.update(on: db)
            }
            for event in try await Event.query(on: db).all() {
                event.description = event.description
                try await event.update(on: db)
            }
        }
    }

    public func revert(on database: any Database) async throws {
        for schema in [Campaign.schema, Event.schema] {
            try await database.schema(schema).deleteField("description_html").update()
        }
    }
}
