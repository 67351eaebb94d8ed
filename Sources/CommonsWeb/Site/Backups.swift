import CommonsContent
import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import Logging
import ServiceLifecycle

/// `commons backup`, `commons restore` and the server's daily backups, over `Backup`'s
/// mechanics: a restore is checked (integrity, and that the data key in use opens the
/// supporters in it) before it says it succeeded.
public enum Backups {
    /// What a restore brought back.
    public struct RestoreReport: Sendable {
        public let posts: Int
        public let supporters: Int
    }

    /// A consistent copy of the site the settings name, written to `file`.
    public static func write(settings: Settings, to file: String, logger: Logger) async throws -> Backup.Report {
        try await CommonsDatabase.using(settings.database, logger: logger) { store in try await Backup.write(store, to: file) }
    }

    /// Restores `file` into the data directory or database the settings name. Refuses one that
    /// already holds a site unless `force`; checks the copy's integrity and that this server's
    /// data key opens its supporters. On SQLite the copy is checked before it replaces anything.
    public static func restore(from file: String, settings: Settings, force: Bool, logger: Logger) async throws -> RestoreReport {
        if settings.dataKey == nil,
            !FileManager.default.fileExists(atPath: URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent("keys/data.key").path)
        {
            throw RestoreError.noKey(settings.dataDirectory)
        }
        switch settings.database {
        case .sqlite(let path):
            if FileManager.default.fileExists(atPath: path) {
                try await CommonsDatabase.using(.sqlite(path: path), logger: logger) { store in
                    if !force, try await !Backup.isEmpty(store) { throw BackupError.notEmpty }
                }
            }
            let staged = try await Backup.stageSQLite(from: file, for: path)
            do {
                let report = try await CommonsDatabase.using(.sqlite(path: staged), logger: logger) { store in
                    try await Backup.check(store)
                    return try await verify(store, settings: settings)
                }
                try Backup.commitSQLite(staged: staged, to: path)
                return report
            } catch {
                for leftover in [staged, staged + "-wal", staged + "-shm"] { try? FileManager.default.removeItem(atPath: leftover) }
                throw error
            }
        case .postgres(let url):
            try await CommonsDatabase.using(settings.database, logger: logger) { store in
                if !force, try await !Backup.isEmpty(store) { throw BackupError.notEmpty }
            }
            try await Backup.restorePostgres(from: file, into: url, clean: force)
            return try await CommonsDatabase.using(settings.database, logger: logger) { store in
                try await Backup.check(store)
                return try await verify(store, settings: settings)
            }
        }
    }

    /// The data key's check value matches, and the key opens a supporter (when there is one).
    static func verify(_ store: CommonsDatabase, settings: Settings) async throws -> RestoreReport {
        let keys = try DataKeys.load(environmentValue: settings.dataKey, dataDirectory: settings.dataDirectory).keys
        let supporters = try await Supporter.query(on: store.database).count()
        if let check = try await SiteSettings(database: store.database).value(.dataKeyCheck) {
            guard keys.matches(checkValue: check) else { throw RestoreError.wrongKey }
        } else if supporters > 0 {
            throw RestoreError.wrongKey
        }
        if let supporter = try await Supporter.query(on: store.database).first() {
            do { _ = try SupporterVault(keys: keys).open(supporter) } catch { throw RestoreError.wrongKey }
        }
        return RestoreReport(posts: try await Post.query(on: store.database).count(), supporters: supporters)
    }

    /// One scheduled backup into `folder` (`commons-YYYYMMDD-HHMMSS.sqlite` or `.pgdump`), then
    /// the oldest beyond `keep` deleted.
    @discardableResult
    static func scheduled(store: CommonsDatabase, folder: String, keep: Int, now: Date) async throws -> Backup.Report {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let suffix = store.location.kindName == "sqlite" ? ".sqlite" : ".pgdump"
        let report = try await Backup.write(store, to: "\(folder)/commons-\(formatter.string(from: now))\(suffix)")
        let ours = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("commons-") && $0.hasSuffix(suffix) }.sorted()
        for old in ours.dropLast(keep) { try? FileManager.default.removeItem(atPath: "\(folder)/\(old)") }
        return report
    }
}

extension Backups {
    /// When the newest scheduled backup in `folder` was written; nil when there is none.
    static func newest(in folder: String) -> Date? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("commons-") && ($0.hasSuffix(".sqlite") || $0.hasSuffix(".pgdump")) }
            .compactMap { try? FileManager.default.attributesOfItem(atPath: "\(folder)/\($0)")[.modificationDate] as? Date }
            .max()
    }
}

/// Why a restore stopped, in words for the operator.
public enum RestoreError: Error, CustomStringConvertible {
    case noKey(String)
    case wrongKey

    public var description: String {
        switch self {
        case .noKey(let folder):
            "no data key: put the key the backup was made with in \(folder)/keys/data.key (mode 0600) or COMMONS_DATA_KEY first; a backup never holds its key."
        case .wrongKey:
            "the data key in use does not open the supporters in this backup: use the key the backup was made with (keys/data.key or COMMONS_DATA_KEY)."
        }
    }
}

/// The server's daily backup (`COMMONS_BACKUP_DIR`), five minutes after start and then every
/// 24 hours, keeping `COMMONS_BACKUP_KEEP`.
struct BackupService: Service {
    let store: CommonsDatabase
    let folder: String
    let keep: Int
    let clock: Clock
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .seconds(300))
            while !Task.isCancelled {
                do {
                    let report = try await Backups.scheduled(store: store, folder: folder, keep: keep, now: clock.now)
                    logger.info("backup written", metadata: ["bytes": "\(report.bytes)", "sha256": "\(report.sha256)"])
                } catch {
                    logger.error("the daily backup failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(24 * 3600))
            }
        }
    }
}
