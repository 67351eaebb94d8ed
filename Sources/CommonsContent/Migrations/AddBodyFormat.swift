import FluentKit
import SQLKit

/// Posts and pages say whether their body is Markdown (everything written so far) or HTML
/// (imported from WordPress).
public struct AddBodyFormat: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        for schema in [Post.schema, Page.schema] {
            try await (database as! any SQLDatabase).raw(
                "ALTER TABLE \(ident: schema) ADD COLUMN body_format TEXT NOT NULL DEFAULT 'markdown'"
            ).run()
        }
    }

    public func revert(on database: any Database) async throws {
        for schema in [Post.schema, Page.schema] {
            try await database.schema(schema).deleteField("body_format").update()
        }
    }
}
