import FluentKit
import SQLKit

/// The SQLite settings Commons depends on for durability and integrity, set on the one
/// connection each process holds and read back before anything else runs.
enum SQLitePragmas {
    /// Milliseconds a writer waits for another process (a CLI command next to the server) before giving up.
    static let busyTimeoutMilliseconds = 5000

    /// The settings, the value each is set to, and the value it must read back as.
    static var settings: [(name: String, value: String, expected: String)] {
        [
            ("journal_mode", "WAL", "wal"),
            ("synchronous", "FULL", "2"),
            ("busy_timeout", String(busyTimeoutMilliseconds), String(busyTimeoutMilliseconds)),
            ("foreign_keys", "ON", "1"),
            // Deleted supporter data must not linger in free pages of the file.
            ("secure_delete", "ON", "1"),
            // Statement journals (what undoes one failed statement inside a transaction, such
            // as a group's multi-row insert) and sorts stay in memory: SQLite otherwise spills a
            // statement journal over 64 KB to a temporary file, a write per page a group touches.
            // Nothing in them is needed after a crash; the WAL is what makes a commit durable.
            ("temp_store", "MEMORY", "2"),
            // The committing writer copies the WAL back into the file (a checkpoint) once the
            // WAL holds this many pages. SQLite's 1,000 (4 MB) meant a checkpoint every few
            // groups of sign-ups, writing the same hot index pages over and over and syncing the
            // file each time, inside a group's commit. 10,000 pages (about 40 MB of WAL) writes
            // each hot page once per checkpoint instead. Durability is unchanged: a commit is
            // durable when its WAL frames are synced, checkpoint or not. The WAL file keeps its
            // largest size after a checkpoint (it is reused, not truncated): about 40 MB of disk.
            ("wal_autocheckpoint", "10000", "10000"),
        ]
    }

    /// Sets every pragma, then reads each back; throws when one did not take.
    static func apply(on database: any SQLDatabase, path: String) async throws {
        for setting in settings {
            do {
                try await database.raw(SQLQueryString("PRAGMA \(unsafeRaw: setting.name) = \(unsafeRaw: setting.value)")).run()
            } catch {
                // A read-only file, a file that is not a database, a lock held elsewhere.
                throw StorageError.pragmaNotApplied(setting: setting.name, expected: setting.expected, actual: "an error (\(error))", path: path)
            }
        }
        // Read everything back: a pragma that silently did not apply (an in-memory database,
        // a journal mode the file system cannot give) must stop the server.
        for setting in settings {
            try await check(setting.name, expected: setting.expected, actual: read(setting.name, on: database), path: path)
        }
    }

    private static func read(_ pragma: String, on database: any SQLDatabase) async throws -> String {
        guard let row = try await database.raw(SQLQueryString("PRAGMA \(unsafeRaw: pragma)")).first() else { return "nothing" }
        if let text = try? row.decode(column: pragma, as: String.self) { return text.lowercased() }
        if let number = try? row.decode(column: pragma, as: Int.self) { return String(number) }
        // busy_timeout names its column "timeout" on some SQLite versions.
        if let name = row.allColumns.first, let number = try? row.decode(column: name, as: Int.self) { return String(number) }
        return "unreadable"
    }

    private static func check(_ setting: String, expected: String, actual: String, path: String) throws {
        guard actual.lowercased() == expected else {
            throw StorageError.pragmaNotApplied(setting: setting, expected: expected, actual: actual, path: path)
        }
    }
}
