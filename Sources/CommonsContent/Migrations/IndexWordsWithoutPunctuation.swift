import FluentKit
import Foundation
import SQLKit

/// On PostgreSQL, the search index reads words from copies of the title and text without
/// punctuation (`SearchIndex.withoutPunctuation`), so a database created with the C locale
/// finds “Sanctuary Schools” by `sanctuary` like any other. SQLite's tokenizer needs nothing.
public struct IndexWordsWithoutPunctuation: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name != "sqlite" else { return }
        try await sql.raw("ALTER TABLE search_index ADD COLUMN title_words TEXT NOT NULL DEFAULT ''").run()
        try await sql.raw("ALTER TABLE search_index ADD COLUMN body_words TEXT NOT NULL DEFAULT ''").run()
        try await sql.raw("DROP INDEX search_index_document").run()
        try await sql.raw("ALTER TABLE search_index DROP COLUMN document").run()
        try await sql.raw(
            """
            ALTER TABLE search_index ADD COLUMN document TSVECTOR GENERATED ALWAYS AS (
                setweight(to_tsvector('english', title_words), 'A') || setweight(to_tsvector('english', body_words), 'B')
            ) STORED
            """
        ).run()
        try await sql.raw("CREATE INDEX search_index_document ON search_index USING GIN (document)").run()
        struct Row: Decodable {
            let kind: String
            let ref_id: UUID
            let title: String
            let body: String
        }
        for row in try await sql.raw("SELECT kind, ref_id, title, body FROM search_index").all(decoding: Row.self) {
            try await sql.raw(
                """
                UPDATE search_index SET title_words = \(bind: SearchIndex.withoutPunctuation(row.title)),
                    body_words = \(bind: SearchIndex.withoutPunctuation(row.body))
                WHERE kind = \(bind: row.kind) AND ref_id = \(bind: row.ref_id)
                """
            ).run()
        }
    }

    public func revert(on database: any Database) async throws {}
}
