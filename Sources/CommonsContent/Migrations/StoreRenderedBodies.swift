import FluentKit
import SQLKit

/// Posts, pages and translations keep their rendered HTML beside the source; existing rows are
/// rendered once here, so no view parses Markdown on a reader's request.
public struct StoreRenderedBodies: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        for schema in [Post.schema, Page.schema, ContentTranslation.schema] {
            try await (database as! any SQLDatabase).raw("ALTER TABLE \(ident: schema) ADD COLUMN body_html TEXT NOT NULL DEFAULT ''").run()
        }
        try await database.transaction { db in
            for post in try await Post.query(on: db).withDeleted().all() {
                post.renderBody()
                try await post.update(on: db)
            }
            for page in try await Page.query(on: db).withDeleted().all() {
                page.renderBody()
                try await page.update(on: db)
            }
            for translation in try await ContentTranslation.query(on: db).all() {
                translation.body = translation.body
                try await translation.update(on: db)
            }
        }
    }

    public func revert(on database: any Database) async throws {
        for schema in [Post.schema, Page.schema, ContentTranslation.schema] {
            try await database.schema(schema).deleteField("body_html").update()
        }
    }
}
