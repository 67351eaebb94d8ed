import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// The open data store of one Commons process: SQLite or PostgreSQL behind one Fluent `Database`.
///
/// SQLite gets exactly one connection per process (its own event loop), so the pragmas set on
/// it hold for the life of the process and writes are serialized here rather than failing
/// with "database is locked".
public final class CommonsDatabase: Sendable {
    public let location: DatabaseLocation
    public let databases: Databases
    public let logger: Logger
    private let eventLoop: any EventLoop
    private let state = OpenState()

    /// SQLite's own threads: a connection runs every statement there, so work that blocks the
    /// process's shared pool (file reads) never makes a sign-up wait behind it, and with two, a
    /// backup's `VACUUM INTO` (on a store of its own) leaves the other to the site's connection.
    /// One pool for the process, started once and never shut down: a connection still in use
    /// when its store shuts down is closed when it is given back, and closing runs here, so the
    /// threads must outlive every store.
    private static let sqliteThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    /// The Fluent database every domain operation runs on. One value serves every request:
    /// it holds only the connection pool, and fails each query once the pool is shut down.
    public let database: any Database

    /// SQLKit's view of the same database, for the few queries Fluent cannot express.
    public var sql: any SQLDatabase {
        database as! any SQLDatabase  // both drivers' databases are SQL databases
    }

    private init(
        location: DatabaseLocation,
        databases: Databases,
        eventLoop: any EventLoop,
        logger: Logger
    ) {
        self.location = location
        self.databases = databases
        self.eventLoop = eventLoop
        self.logger = logger
        self.database = databases.database(logger: logger, on: eventLoop)!  // configured just before
    }

    /// Opens the store; for SQLite also creates the file's folder, sets and verifies the pragmas.
    public static func open(_ location: DatabaseLocation, logger: Logger) async throws -> CommonsDatabase {
        // The drivers log each query with its bound values at debug and trace; those values are
        // supporters' names and emails, so the database never logs below info, whatever LOG_LEVEL says.
        var logger = logger
        logger.logLevel = max(logger.logLevel, .info)
        switch location {
        case .sqlite(let path):
            try prepareFolder(forSQLiteAt: path)
            // One event loop, so one pool and one connection (SQLite has one writer). It is one of
            // the process's shared loops, never shut down with the store: a query that comes
            // after `shutdown` (a service's last tick) meets a closed pool and fails, rather than
            // a dead loop that would drop its promise.
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let databases = Databases(threadPool: Self.sqliteThreads, on: loop)
            databases.use(.sqlite(.init(storage: .file(path: path), enableForeignKeys: true), sqlLogLevel: .trace), as: .sqlite)
            let store = CommonsDatabase(location: location, databases: databases, eventLoop: loop, logger: logger)
            do {
                try await SQLitePragmas.apply(on: store.sql, path: path)
            } catch {
                await store.shutdown()
                if error is StorageError { throw error }
                throw StorageError.unreachable("SQLite at \(path): \(String(reflecting: error))")
            }
            return store
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StorageError.invalidDatabaseURL(String(describing: error))
            }
            let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
            databases.use(
                .postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(10), sqlLogLevel: .trace),
                as: .psql
            )
            let store = CommonsDatabase(
                location: location,
                databases: databases,
                eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
                logger: logger
            )
            do {
                try await store.ping()
            } catch {
                await store.shutdown()
                throw StorageError.unreachable("PostgreSQL: \(String(reflecting: error))")
            }
            return store
        }
    }

    /// Opens the store at `location`, runs `body` with it, and closes it whether `body` returned or threw.
    public static func using<T>(_ location: DatabaseLocation, logger: Logger, _ body: (CommonsDatabase) async throws -> T) async throws -> T {
        let store = try await open(location, logger: logger)
        do {
            let value = try await body(store)
            await store.shutdown()
            return value
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Applies every migration not yet applied, in order. On PostgreSQL several servers may start
    /// at once: they migrate one after the other (see `exclusively`), and the later ones find
    /// nothing left to do.
    public func migrate(_ migrations: [any Migration]) async throws {
        let list = Migrations()
        list.add(migrations)
        let migrator = Migrator(databases: databases, migrations: list, logger: logger, on: eventLoop, migrationLogLevel: .info)
        try await exclusively {
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
        }
    }

    /// Runs `body` while no other server on this PostgreSQL database runs its own: an advisory
    /// lock held on a connection of its own (the start-up work: migrations, the data key check,
    /// the demo content). SQLite has one process's connection, so nothing is needed there.
    public func exclusively<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard case .postgres = location else { return try await body() }
        return try await database.withConnection { connection in
            let lock = connection as! any SQLDatabase
            try await lock.raw("SELECT pg_advisory_lock(\(literal: Self.startUpLockKey))").run()
            do {
                let value = try await body()
                try await lock.raw("SELECT pg_advisory_unlock(\(literal: Self.startUpLockKey))").run()
                return value
            } catch {
                try? await lock.raw("SELECT pg_advisory_unlock(\(literal: Self.startUpLockKey))").run()
                throw error
            }
        }
    }

    /// The advisory lock start-up work takes on PostgreSQL ("commons" in ASCII).
    static let startUpLockKey: Int64 = 0x636F_6D6D_6F6E_73

    /// A real round trip to the database; throws when it does not answer or is closed.
    public func ping() async throws {
        guard state.isOpen else { throw StorageError.unreachable("the database connection is closed") }
        _ = try await sql.raw("SELECT 1 AS ok").first()
    }

    /// Closes every connection. Safe to call more than once.
    public func shutdown() async {
        guard state.close() else { return }
        await databases.shutdownAsync()
    }

    /// The data folder is the owner's alone (0700) and so is the database file (0600), made so
    /// before SQLite opens it (its write-ahead log and shared-memory files take the file's mode);
    /// a folder or file left readable by others by an earlier version is tightened at start.
    private static func prepareFolder(forSQLiteAt path: String) throws {
        guard !path.hasPrefix("file:") else { return }
        let files = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
            if !files.fileExists(atPath: path) {
                guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw StorageError.dataDirectoryUnusable(path: folder, reason: "cannot create \(path)")
                }
            }
            for file in [path, path + "-wal", path + "-shm"] where files.fileExists(atPath: file) {
                try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.dataDirectoryUnusable(path: folder, reason: error.localizedDescription)
        }
    }
}

/// Whether the store is still open, shared by every task that holds the store.
private final class OpenState: @unchecked Sendable {
    private let lock = NSLock()
    private var open = true

    var isOpen: Bool { lock.withLock { open } }

    /// Marks the store closed; true for the one caller that closed it.
    func close() -> Bool {
        lock.withLock {
            defer { open = false }
            return open
        }
    }
}
