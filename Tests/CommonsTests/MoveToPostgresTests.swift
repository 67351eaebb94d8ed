import CommonsContent
import CommonsOrganizing
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

@Suite("Moving to PostgreSQL")
struct MoveToPostgresTests {
    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_a_sqlite_site_moves_to_postgres_whole_and_serves_from_there() async throws {
        let clock = TestClock()
        var site = try await TestSite.make(clock: clock.clock)
        let database = site.database
        defer { Task { await database.destroy() } }
        try await addStaff(site, email: "admin@example.org", role: .admin)
        try await site.run { client async throws in
            _ = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, canary)
        }
        let documents = try await site.withStore { store async throws in try await Document.query(on: store.database).all() }
        let document = try #require(documents.first)
        let bytes = try await site.run { client async throws in try await client.get("/documents/\(document.slug)/file").body }

        let target = try await TestDatabase.make(.postgres)
        defer { Task { await target.destroy() } }
        let source = try await CommonsDatabase.open(site.settings.database, logger: TestDatabase.logger)
        let postgres = try await CommonsDatabase.open(target.location, logger: TestDatabase.logger)
        let report = try await MoveToPostgres.run(from: source, to: postgres, migrations: AllMigrations.list)
        #expect(report.rows["supporters"] == 1 && report.rows["staff_accounts"] == 1 && report.rows["stored_files"] == documents.count)
        #expect(report.rows["search_index"] ?? 0 > 0)
        // A second move into the same database is refused; nothing is written twice.
        await #expect(throws: MoveError.self) { _ = try await MoveToPostgres.run(from: source, to: postgres, migrations: AllMigrations.list) }
        #expect(try await Supporter.query(on: postgres.database).count() == 1)
        // The same key opens the supporter there: ids, and so the sealed fields' bindings, are kept.
        let keys = try site.dataKeys()
        let supporter = try #require(try await SupporterVault(keys: keys).supporter(withEmail: "canary.person@example.org", on: postgres.database))
        #expect(try SupporterVault(keys: keys).open(supporter).givenName == "Zanzibarina")
        await source.shutdown()
        await postgres.shutdown()

        // The site served from PostgreSQL: its pages, its search, its files, byte for byte.
        site.settings.database = target.location
        try await site.run { client async throws in
            #expect(try await client.get("/").text.contains("Sanctuary Schools"))
            #expect(try await client.get("/search?q=sanctuary").text.contains("/news/cej-calls-for-sanctuary-schools"))
            #expect(try await client.get("/documents/\(document.slug)/file").body == bytes)
            let admin = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            #expect(try await admin.get(client, "/admin/audit").text.contains("data.moved_to_postgres"))
        }
    }
}
