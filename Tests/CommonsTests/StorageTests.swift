import CommonsContent
import CommonsDemo
import CommonsOrganizing
import CommonsStorage
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import CommonsWeb

@Suite("Storage")
struct StorageTests {
    static let expectedTables = [
        "stored_files", "documents", "pages", "posts", "post_revisions", "categories", "tags", "post_categories", "post_tags",
        "site_settings", "campaigns",
    ]

    func migrationsApplyAndRepeatHarmlessly(_ backend: TestDatabase.Backend) async throws {
        let database = try await TestDatabase.make(backend)
        defer { Task { await database.destroy() } }
        let store = try await CommonsDatabase.open(database.location, logger: TestDatabase.logger)
        try await store.migrate(AllMigrations.list)
        // A second run finds nothing to do and changes nothing.
        try await store.migrate(AllMigrations.list)
        for table in Self.expectedTables {
            let row = try await store.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
            #expect(try row?.decode(column: "n", as: Int.self) == 0, "table \(table)")
        }
        let applied = try await store.sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()
        #expect(try applied?.decode(column: "n", as: Int.self) == AllMigrations.list.count)
        await store.shutdown()
    }

    @Test func test_migrations_apply_on_sqlite() async throws {
        try await migrationsApplyAndRepeatHarmlessly(.sqlite)
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_migrations_apply_on_postgres() async throws {
        try await migrationsApplyAndRepeatHarmlessly(.postgres)
    }

    /// Two servers starting at once on one PostgreSQL: one migrates, the other waits for it and
    /// finds nothing to do (without the lock both create the same tables, and one fails).
    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_migrations_started_by_two_servers_at_once_run_once_on_postgres() async throws {
        let database = try await TestDatabase.make(.postgres)
        defer { Task { await database.destroy() } }
        let first = try await CommonsDatabase.open(database.location, logger: TestDatabase.logger)
        let second = try await CommonsDatabase.open(database.location, logger: TestDatabase.logger)
        async let one: Void = first.migrate(AllMigrations.list)
        async let two: Void = second.migrate(AllMigrations.list)
        _ = try await (one, two)
        let applied = try await first.sql.raw("SELECT COUNT(*) AS n, COUNT(DISTINCT name) AS names FROM _fluent_migrations").first()
        #expect(try applied?.decode(column: "n", as: Int.self) == AllMigrations.list.count)
        #expect(try applied?.decode(column: "names", as: Int.self) == AllMigrations.list.count)
        await first.shutdown()
        await second.shutdown()
    }

    func demoContentLoadsExactlyOnce(_ backend: TestDatabase.Backend) async throws {
        let site = try await TestSite.make(backend)
        defer { Task { await site.destroy() } }
        // Two starts of the application on the same database.
        for _ in 0..<2 {
            try await site.run { client async throws in
                #expect(try await client.get("/").status == .ok)
            }
        }
        try await site.withStore { store async throws in
            let db = store.database
            #expect(try await Post.query(on: db).count() == 1)
            #expect(try await Page.query(on: db).count() == 2)
            #expect(try await Document.query(on: db).count() == 2)
            #expect(try await StoredFile.query(on: db).count() == 2)
            #expect(try await Campaign.query(on: db).count() == 1)
            #expect(try await Category.query(on: db).count() == 1)
            // Loading again directly is refused too.
            #expect(try await DemoContent.loadIfEmpty(on: db, clock: .system) == false)
        }
    }

    @Test func test_demo_content_loads_exactly_once_on_sqlite() async throws {
        try await demoContentLoadsExactlyOnce(.sqlite)
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_demo_content_loads_exactly_once_on_postgres() async throws {
        try await demoContentLoadsExactlyOnce(.postgres)
    }

    @Test func test_demo_content_is_not_loaded_when_turned_off() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let home = try await client.get("/")
            #expect(home.status == .ok)
            #expect(!home.text.contains("Sanctuary"))
        }
        try await site.withStore { store async throws in
            #expect(try await Post.query(on: store.database).count() == 0)
        }
    }

    @Test func test_sqlite_pragmas_are_set_and_read_back() async throws {
        let database = try await TestDatabase.make(.sqlite)
        defer { Task { await database.destroy() } }
        let store = try await CommonsDatabase.open(database.location, logger: TestDatabase.logger)
        func pragma(_ name: String) async throws -> String {
            let row = try await store.sql.raw("PRAGMA \(unsafeRaw: name)").first()!
            if let text = try? row.decode(column: name, as: String.self) { return text }
            return String(try row.decode(column: row.allColumns[0], as: Int.self))
        }
        #expect(try await pragma("journal_mode") == "wal")
        #expect(try await pragma("synchronous") == "2")
        #expect(try await pragma("foreign_keys") == "1")
        #expect(try await pragma("busy_timeout") == "5000")
        #expect(try await pragma("secure_delete") == "1")
        #expect(try await pragma("temp_store") == "2")
        await store.shutdown()
    }

    @Test func test_server_refuses_a_database_whose_pragmas_it_cannot_set() async throws {
        let database = try await TestDatabase.make(.sqlite)
        defer { Task { await database.destroy() } }
        // An empty file opened read-only cannot be switched to WAL: journal_mode stays "delete".
        let path = database.folder.appendingPathComponent("readonly.sqlite").path
        FileManager.default.createFile(atPath: path, contents: Data())
        let settings = Settings(dataDirectory: database.folder.path, database: .sqlite(path: "file:\(path)?mode=ro"), logLevel: .warning)
        do {
            _ = try await buildApplication(settings: settings, logger: TestDatabase.logger)
            Issue.record("the server started on a database whose journal mode it could not set")
        } catch let error as StorageError {
            guard case .pragmaNotApplied(let setting, let expected, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(setting == "journal_mode")
            #expect(expected == "wal")
            #expect(error.description.contains("Refusing to run"))
        }
    }

    @Test func test_server_refuses_a_file_that_is_not_a_database() async throws {
        let database = try await TestDatabase.make(.sqlite)
        defer { Task { await database.destroy() } }
        let path = database.folder.appendingPathComponent("commons.sqlite").path
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 4096))
        let settings = Settings(dataDirectory: database.folder.path, logLevel: .warning)
        await #expect(throws: StorageError.self) {
            _ = try await buildApplication(settings: settings, logger: TestDatabase.logger)
        }
    }
}
