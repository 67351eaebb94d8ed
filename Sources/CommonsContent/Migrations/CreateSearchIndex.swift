import FluentKit
import SQLKit

/// The full-text index over posts, pages and documents: SQLite FTS5 on SQLite, a tsvector
/// column with a GIN index on PostgreSQL. Both stem English words and weigh titles above text.
public struct CreateSearchIndex: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            try await sql.raw(
                """
                CREATE VIRTUAL TABLE search_index USING fts5(
                    kind UNINDEXED, ref_id UNINDEXED, title, body,
                    tokenize = 'porter unicode61 remove_diacritics 2'
                )
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE TABLE search_index (
                    kind TEXT NOT NULL,
                    ref_id UUID NOT NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    document TSVECTOR GENERATED ALWAYS AS (
                        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
                    ) STORED,
                    PRIMARY KEY (kind, ref_id)
                )
                """
            ).run()
            try await sql.raw("CREATE INDEX search_index_document ON search_index USING GIN (document)").run()
        }
    }
    public func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE search_index").run()
    }
}
