import ArgumentParser
import CommonsStorage
import CommonsWeb
import Foundation

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the whole site to a file, while the server keeps serving.",
        discussion: """
            Content, documents, supporters, accounts, settings and the audit log: SQLite's online copy (VACUUM INTO), or \
            pg_dump's custom format on PostgreSQL (pg_dump must be installed). Prints the file's size and SHA-256. The \
            data key is never in the backup: keep keys/data.key (or COMMONS_DATA_KEY) somewhere else; a backup without \
            its key cannot be read, by design. The server also writes daily backups when COMMONS_BACKUP_DIR is set.
            """
    )

    @Option(name: .customLong("to"), help: "The file to write (it must not exist yet; created readable by its owner only).")
    var file: String

    func run() async throws {
        let settings = loadSettings()
        do {
            let report = try await Backups.write(settings: settings, to: file, logger: makeLogger(settings: settings))
            print("Wrote \(report.path): \(report.bytes) bytes, SHA-256 \(report.sha256).")
        } catch {
            fail(error)
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into an empty data directory or database, and check it.",
        discussion: """
            Stop the server first. Refuses a data directory or database that already holds a site unless --force. \
            Checks the copy's integrity and that the data key in use (keys/data.key or COMMONS_DATA_KEY: put the \
            backup's key there first) opens its supporters before it says it succeeded; on SQLite nothing is replaced \
            until those checks pass.
            """
    )

    @Option(name: .customLong("from"), help: "The backup file.")
    var file: String

    @Flag(help: "Replace the site that is there now.")
    var force = false

    func run() async throws {
        let settings = loadSettings()
        do {
            let report = try await Backups.restore(from: file, settings: settings, force: force, logger: makeLogger(settings: settings))
            print("Restored \(file): \(report.posts) posts and \(report.supporters) supporters, readable with the data key in use.")
        } catch {
            fail(error)
        }
    }
}

struct MigrateToPostgres: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-to-postgres",
        abstract: "Copy this SQLite site, everything in it, into an empty PostgreSQL database.",
        discussion: """
            Stop the server first. Reads the SQLite file in COMMONS_DATA_DIR (DATABASE_URL must be unset), migrates \
            the PostgreSQL database to the same version, copies every row of every table (documents' files included) \
            in one transaction, rebuilds the search index, and checks that every table holds as many rows on both \
            sides. Ids are kept, so the same data key opens the supporters: start the servers with DATABASE_URL set \
            and the same key (COMMONS_DATA_KEY, or keys/data.key copied beside each).
            """
    )

    @Argument(help: "The PostgreSQL database: postgres://user:password@host:port/database (it must hold no site).")
    var databaseURL: String

    func run() async throws {
        let settings = loadSettings()
        guard databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") else {
            fail(CommandError("expected a postgres://user:password@host:port/database URL"))
        }
        let logger = makeLogger(settings: settings)
        do {
            let report = try await CommonsDatabase.using(settings.database, logger: logger) { source in
                try await CommonsDatabase.using(.postgres(url: databaseURL), logger: logger) { target in
                    try await MoveToPostgres.run(from: source, to: target, migrations: AllMigrations.list)
                }
            }
            print("Copied \(report.total) rows in \(report.rows.count) tables; every table holds as many rows in PostgreSQL.")
        } catch {
            fail(error)
        }
    }
}
