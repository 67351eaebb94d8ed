import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsStorage
import FluentKit
import Foundation
import SQLKit

/// `commons migrate-to-postgres URL`: copies a SQLite site, every row of every table, documents'
/// bytes included, into an empty PostgreSQL database migrated to the same version, in one
/// transaction, then checks that every table holds as many rows on both sides. Ids are kept,
/// so the supporters' encrypted fields (bound to their row ids) open with the same data key.
public enum MoveToPostgres {
    /// Rows copied, by table.
    public struct Report: Sendable {
        public let rows: [String: Int]
        public var total: Int { rows.values.reduce(0, +) }
    }

    /// Tables the copy leaves alone: the migrations' own record (written by migrating the target),
    /// the content version (raised by the target's own triggers) and the search index (rebuilt
    /// through `SearchIndex`, as each engine indexes differently).
    static let skipped: Set<String> = ["_fluent_migrations", "content_version", "search_index"]

    public static func run(from source: CommonsDatabase, to target: CommonsDatabase, migrations: [any Migration]) async throws -> Report {
        guard case .sqlite = source.location, case .postgres = target.location else { throw MoveError.wrongEngines }
        try await source.migrate(migrations)
        try await target.migrate(migrations)
        for table in ["posts", "pages", "documents", "supporters", "staff_accounts", "site_settings"] {
            let count = try await target.sql.raw("SELECT count(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
            guard count == 0 else { throw MoveError.targetNotEmpty(table) }
        }
        let tables = try await tablesInOrder(target.sql)
        let copied = try await target.database.transaction { db in
            var copied: [String: Int] = [:]
            let sql = db as! any SQLDatabase
            for table in tables {
                copied[table] = try await copy(table, from: source.sql, to: sql)
            }
            copied["search_index"] = try await reindex(from: source.sql, into: db)
            try await AuditLog(database: db).record(
                "data.moved_to_postgres",
                by: .system("command line"),
                detail: "tables=\(copied.count) rows=\(copied.values.reduce(0, +))",
                at: Date()
            )
            return copied
        }
        // Every table as many rows on both sides (the audit log one more: this move's line).
        for (table, count) in copied {
            let there = try await target.sql.raw("SELECT count(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
            guard there == count + (table == AuditEntry.schema ? 1 : 0) else { throw MoveError.countsDiffer(table, count, there) }
        }
        return Report(rows: copied)
    }

    /// The target's tables, each after the tables its foreign keys point at.
    static func tablesInOrder(_ sql: any SQLDatabase) async throws -> [String] {
        let tables = try await sql.raw(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).all().map { try $0.decode(column: "name", as: String.self) }.filter { !skipped.contains($0) }.sorted()
        let references = try await sql.raw(
            """
            SELECT tc.table_name AS child, ccu.table_name AS parent
            FROM information_schema.table_constraints tc
            JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name
            WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
            """
        ).all().map { (try $0.decode(column: "child", as: String.self), try $0.decode(column: "parent", as: String.self)) }
        var parents: [String: Set<String>] = [:]
        for (child, parent) in references where child != parent { parents[child, default: []].insert(parent) }
        var ordered: [String] = []
        var placed: Set<String> = []
        while ordered.count < tables.count {
            let ready = tables.filter { !placed.contains($0) && (parents[$0] ?? []).subtracting(placed).intersection(Set(tables)).isEmpty }
            guard !ready.isEmpty else { throw MoveError.cycle }
            ordered += ready
            placed.formUnion(ready)
        }
        return ordered
    }

    /// Copies one table a batch at a time (one row at a time where rows hold files).
    static func copy(_ table: String, from source: any SQLDatabase, to target: any SQLDatabase) async throws -> Int {
        let columns = try await target.raw(
            """
            SELECT column_name AS name, data_type AS type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(bind: table) AND is_generated = 'NEVER'
            ORDER BY ordinal_position
            """
        ).all().map { (name: try $0.decode(column: "name", as: String.self), type: try $0.decode(column: "type", as: String.self)) }
        let batch = columns.contains { $0.type == "bytea" } ? 1 : max(1, min(500, 30_000 / max(1, columns.count)))
        var copied = 0
        var after: Int64 = 0
        while true {
            let rows = try await source.raw(
                """
                SELECT rowid AS commons_rowid, \(unsafeRaw: columns.map { "\"\($0.name)\"" }.joined(separator: ", ")) FROM \(ident: table)
                WHERE rowid > \(bind: after) ORDER BY rowid LIMIT \(unsafeRaw: String(batch))
                """
            ).all()
            guard let last = rows.last else { break }
            after = try last.decode(column: "commons_rowid", as: Int64.self)
            let insert = target.insert(into: table).columns(columns.map(\.name))
            for row in rows {
                insert.values(try columns.map { try value(of: $0.name, type: $0.type, in: row) })
            }
            try await insert.run()
            copied += rows.count
        }
        return copied
    }

    /// A column's value as the Swift type PostgreSQL's column takes, read from SQLite's row.
    static func value(of column: String, type: String, in row: any SQLRow) throws -> any Encodable & Sendable {
        switch type {
        case "uuid": try row.decode(column: column, as: UUID?.self)
        case "timestamp with time zone", "timestamp without time zone", "date": try row.decode(column: column, as: Date?.self)
        case "boolean": try row.decode(column: column, as: Bool?.self)
        case "bigint", "integer", "smallint": try row.decode(column: column, as: Int64?.self)
        case "double precision", "real", "numeric": try row.decode(column: column, as: Double?.self)
        case "bytea": try row.decode(column: column, as: Data?.self)
        case "text", "character varying": try row.decode(column: column, as: String?.self)
        default: throw MoveError.unknownType(column, type)
        }
    }

    /// The search index written again through `SearchIndex`, from what SQLite's index holds.
    static func reindex(from source: any SQLDatabase, into target: any Database) async throws -> Int {
        let rows = try await source.raw("SELECT kind, ref_id, title, body FROM search_index").all()
        let index = SearchIndex(database: target, clock: .system)
        for row in rows {
            guard let kind = SearchHit.Kind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            try await index.index(
                kind,
                id: try row.decode(column: "ref_id", as: UUID.self),
                title: try row.decode(column: "title", as: String.self),
                body: try row.decode(column: "body", as: String.self)
            )
        }
        return rows.count
    }
}

/// Why the move stopped; nothing was written then.
public enum MoveError: Error, CustomStringConvertible {
    case wrongEngines
    case targetNotEmpty(String)
    case cycle
    case unknownType(String, String)
    case countsDiffer(String, Int, Int)

    public var description: String {
        switch self {
        case .wrongEngines: "migrate-to-postgres copies the SQLite site of COMMONS_DATA_DIR into a postgres:// database; unset DATABASE_URL."
        case .targetNotEmpty(let table): "the PostgreSQL database already holds a site (\(table) has rows); give an empty database."
        case .cycle: "the tables' foreign keys form a cycle; nothing was copied."
        case .unknownType(let column, let type): "column \(column) has a type the copy does not know (\(type)); nothing was copied."
        case .countsDiffer(let table, let here, let there): "\(table): \(here) rows in SQLite but \(there) in PostgreSQL after the copy."
        }
    }
}
