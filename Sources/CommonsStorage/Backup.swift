import CommonsCore
import Crypto
import FluentKit
import Foundation
import SQLKit

/// A copy of the whole site, content, documents, supporters and settings, taken while the
/// server serves: SQLite's `VACUUM INTO` (one consistent read of the database, written as a
/// compact new file) or PostgreSQL's `pg_dump` in its custom format. The data key is never in
/// it: without the key, the supporters in a backup cannot be read.
public enum Backup {
    /// What was written.
    public struct Report: Sendable {
        public let path: String
        public let bytes: Int
        /// SHA-256 of the file, hex.
        public let sha256: String
    }

    /// Writes a backup of `store` to `file`, which must not exist yet. The file is created
    /// readable by its owner only and appears only once complete.
    public static func write(_ store: CommonsDatabase, to file: String) async throws -> Report {
        let target = URL(fileURLWithPath: file)
        guard !FileManager.default.fileExists(atPath: target.path) else { throw BackupError.exists(target.path) }
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial")
        try? FileManager.default.removeItem(at: partial)
        do {
            switch store.location {
            case .sqlite:
                // A string literal, quotes doubled: the path is the operator's, but never SQL.
                let literal = "'" + partial.path.replacingOccurrences(of: "'", with: "''") + "'"
                try await store.sql.raw("VACUUM INTO \(unsafeRaw: literal)").run()
            case .postgres(let url):
                try await run(try tool("pg_dump"), ["--format=custom", "--no-owner", "--file=\(partial.path)", "--dbname=\(url)"])
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: partial.path)
            try syncFile(partial.path)
            try FileManager.default.moveItem(at: partial, to: target)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        return try describe(target.path)
    }

    /// Size and checksum of a backup file.
    public static func describe(_ path: String) throws -> Report {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupError.unreadable(path) }
        defer { try? handle.close() }
        var hash = SHA256()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hash.update(data: chunk)
            bytes += chunk.count
        }
        return Report(path: path, bytes: bytes, sha256: Hex.string(hash.finalize()))
    }

    /// Whether the database at `location` holds any table (a site, or anything else).
    public static func isEmpty(_ store: CommonsDatabase) async throws -> Bool {
        let query: SQLQueryString =
            switch store.location {
            case .sqlite: "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'"
            case .postgres: "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
            }
        let count = try await store.sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
        return count == 0
    }

    /// A SQLite backup checked and copied next to `path` as `path.restoring`, ready to be put in
    /// place with `commitSQLite`: the file must be a SQLite database that passes `integrity_check`.
    public static func stageSQLite(from backup: String, for path: String) async throws -> String {
        guard FileManager.default.isReadableFile(atPath: backup) else { throw BackupError.unreadable(backup) }
        let staged = path + ".restoring"
        for leftover in [staged, staged + "-wal", staged + "-shm"] { try? FileManager.default.removeItem(atPath: leftover) }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        try FileManager.default.copyItem(atPath: backup, toPath: staged)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: staged)
        return staged
    }

    /// `PRAGMA integrity_check` (SQLite) or a count of the tables (PostgreSQL); throws when the
    /// database is damaged or holds no site.
    public static func check(_ store: CommonsDatabase) async throws {
        if case .sqlite(let path) = store.location {
            let rows = try await store.sql.raw("PRAGMA integrity_check").all()
            let answers = try rows.map { try $0.decode(column: "integrity_check", as: String.self) }
            guard answers == ["ok"] else { throw BackupError.damaged(path, answers.prefix(3).joined(separator: "; ")) }
        }
        guard try await !isEmpty(store) else { throw BackupError.notASite }
    }

    /// Puts a staged SQLite file in place of `path` (and drops the old file's write-ahead log).
    public static func commitSQLite(staged: String, to path: String) throws {
        for leftover in [path + "-wal", path + "-shm", staged + "-wal", staged + "-shm"] {
            try? FileManager.default.removeItem(atPath: leftover)
        }
        if rename(staged, path) != 0 { throw BackupError.cannotPlace(path, String(cString: strerror(errno))) }
    }

    /// Restores a `pg_dump` custom-format file into the (empty, or with `clean` emptied first) database at `url`.
    public static func restorePostgres(from backup: String, into url: String, clean: Bool) async throws {
        guard FileManager.default.isReadableFile(atPath: backup) else { throw BackupError.unreadable(backup) }
        var arguments = ["--no-owner", "--exit-on-error", "--single-transaction", "--dbname=\(url)"]
        if clean { arguments += ["--clean", "--if-exists"] }
        try await run(try tool("pg_restore"), arguments + [backup])
    }

    /// A PostgreSQL client program: on the PATH, else the newest in Debian's versioned folders.
    static func tool(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { $0.compare($1, options: .numeric) == .orderedDescending }) {
            let candidate = "/usr/lib/postgresql/\(version)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw BackupError.toolMissing(name)
    }

    static func run(_ executable: String, _ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BackupError.toolFailed((executable as NSString).lastPathComponent, String(message.suffix(500)))
        }
    }

    static func syncFile(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw BackupError.unreadable(path) }
        defer { close(descriptor) }
        _ = fsync(descriptor)
    }
}

/// Why a backup or a restore did not happen, in words for the operator.
public enum BackupError: Error, CustomStringConvertible, Equatable {
    case exists(String)
    case unreadable(String)
    case toolMissing(String)
    case toolFailed(String, String)
    case damaged(String, String)
    case notASite
    case notEmpty
    case cannotPlace(String, String)

    public var description: String {
        switch self {
        case .exists(let path): "\(path) already exists; a backup never overwrites a file."
        case .unreadable(let path): "cannot read \(path)."
        case .toolMissing(let name):
            "\(name) is not installed: PostgreSQL backups are made with PostgreSQL's own tools (Debian: apt-get install postgresql-client)."
        case .toolFailed(let name, let message): "\(name) failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .damaged(let path, let report): "\(path) is damaged (integrity_check: \(report)); nothing was restored."
        case .notASite: "the backup holds no tables: it is not a Commons backup; nothing was restored."
        case .notEmpty:
            "the data directory or database already holds a site; restore refuses to replace it without --force (take a backup of it first)."
        case .cannotPlace(let path, let reason): "cannot put the restored database at \(path): \(reason)."
        }
    }
}
