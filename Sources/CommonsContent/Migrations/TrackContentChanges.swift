import FluentKit
import SQLKit

/// A counter the database itself raises whenever anything a public page shows changes, so
/// every app server (and a command run beside them, such as an import) sees one number move.
/// Triggers, not application code, raise it: no write path can forget to.
public struct TrackContentChanges: AsyncMigration {
    /// The tables public pages are rendered from.
    let tables: [String]

    public init(tables: [String]) {
        self.tables = tables
    }

    public func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE TABLE content_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO content_version (id, version) VALUES (1, 1)").run()
        if sql.dialect.name != "sqlite" {
            try await sql.raw(
                """
                CREATE FUNCTION content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$
                """
            ).run()
        }
        try await Self.addTriggers(to: tables, on: database)
    }

    /// Makes writes to more tables raise the content version (for tables added later).
    public static func addTriggers(to tables: [String], on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            for table in tables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try await sql.raw(
                        SQLQueryString(
                            "CREATE TRIGGER content_changed_\(unsafeRaw: table)_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON \(ident: table) BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; END"
                        )
                    ).run()
                }
            }
        } else {
            for table in tables {
                try await sql.raw(
                    SQLQueryString(
                        "CREATE TRIGGER content_changed AFTER INSERT OR UPDATE OR DELETE ON \(ident: table) FOR EACH STATEMENT EXECUTE FUNCTION content_changed()"
                    )
                ).run()
            }
        }
    }

    public func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            for table in tables {
                for event in ["insert", "update", "delete"] {
                    try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS content_changed_\(unsafeRaw: table)_\(unsafeRaw: event)")).run()
                }
            }
        } else {
            for table in tables {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS content_changed ON \(ident: table)")).run()
            }
            try await sql.raw("DROP FUNCTION IF EXISTS content_changed()").run()
        }
        try await sql.raw("DROP TABLE content_version").run()
    }
}

/// Reads the counter `TrackContentChanges` keeps.
public enum ContentVersion {
    public static func current(on database: any Database) async throws -> Int64 {
        let sql = database as! any SQLDatabase
        guard let row = try await sql.raw("SELECT version FROM content_version WHERE id = 1").first() else { return 0 }
        return try row.decode(column: "version", as: Int64.self)
    }
}
