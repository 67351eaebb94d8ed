import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsStorage
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import CommonsOrganizing
@testable import CommonsWeb

/// The staff supporter list's search and shapes, small enough for every run; `ScaleTests`
/// takes the same paths at 40,000.
@Suite("Supporter list")
struct SupporterListTests {
    func searchAndShapes(_ backend: TestDatabase.Backend) async throws {
        let clock = TestClock()
        let site = try await TestSite.make(backend, clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "org@example.org", role: .organizer)
        let people: [[(String, String)]] = [
            [("given_name", "Ana María"), ("family_name", "García López"), ("email", "ana@example.org")],
            [("given_name", "Maria"), ("family_name", "Okafor"), ("email", "maria@example.org")],
            [("given_name", "Garcia"), ("family_name", "Marquez"), ("email", "gabo@example.org")],
            [("given_name", "Kwame"), ("email", "kwame@example.org")],
        ]
        @Sendable func names(_ page: String) -> Set<String> {
            Set(page.matches(of: /([a-z]+)@example\.org/).map { String($0.output.1) }).subtracting(["org"])
        }
        try await site.run { client async throws in
            for person in people {
                #expect(try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, person).status == .seeOther)
            }
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            func search(_ query: String) async throws -> Set<String> {
                let response = try await organizer.get(client, "/admin/supporters?q=" + query)
                #expect(response.status == .ok)
                return names(response.text)
            }
            // Whole words, in any order, case, accents and width ignored.
            #expect(try await search("garcia+MARIA") == ["ana"])
            #expect(try await search("Garc%C3%ADa") == ["ana", "gabo"])
            #expect(try await search("maria") == ["ana", "maria"])
            #expect(try await search("%EF%BD%8B%EF%BD%97%EF%BD%81%EF%BD%8D%EF%BD%85") == ["kwame"])  // full-width ｋｗａｍｅ
            // Part of a word is not a word; punctuation alone names nobody.
            #expect(try await search("garc").isEmpty)
            #expect(try await search("%21%21%21").isEmpty)
            #expect(try await search("maria+nobody").isEmpty)
        }
        try await site.withStore { store async throws in
            let sql = store.database as! any SQLDatabase
            let rows = try await sql.raw("SELECT name_index FROM supporters").all().map { try $0.decode(column: "name_index", as: String.self) }
            #expect(rows.count == 4)
            for row in rows {
                #expect(row.firstMatch(of: /^ ([0-9a-f]{12} )+$/) != nil, "\(row)")
                #expect(!row.lowercased().contains("maria") && !row.lowercased().contains("garc"))
            }
            // Rows stored before the index (or by an older version) are indexed when the server
            // starts, and one that cannot be opened does not stop it from starting.
            try await sql.raw("UPDATE supporters SET name_index = NULL").run()
            let broken = try #require(
                try await Supporter.query(on: store.database).filter(
                    \.$emailIndex == SupporterVault(keys: try site.dataKeys()).emailIndex("gabo@example.org")
                ).first()
            )
            broken.givenName = Data("not sealed".utf8)
            try await broken.update(on: store.database)
        }
        try await site.run { client async throws in
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            #expect(names(try await organizer.get(client, "/admin/supporters?q=okafor").text) == ["maria"])
            #expect(try await client.get("/").status == .ok)
        }
        try await site.withStore { store async throws in
            #expect(try await Supporter.query(on: store.database).filter(\.$nameIndex == " ").count() == 1)
            // In batches smaller than the list, each row once, the damaged one counted.
            let sql = store.database as! any SQLDatabase
            try await sql.raw("UPDATE supporters SET name_index = NULL").run()
            let total = try await Supporter.query(on: store.database).count()
            let again = try await KeyRotation(database: store.database, keys: try site.dataKeys()).indexNames(batchSize: 3)
            #expect(total > 3 && again.indexed == total && again.unreadable == 1)
            #expect(try await Supporter.query(on: store.database).filter(\.$nameIndex == nil).count() == 0)
            // The damaged row is taken out again, so the rest of the test sees four readable supporters.
            try await Supporter.query(on: store.database).filter(\.$nameIndex == " ").delete()
        }
        try await site.withStore { store async throws in
            let directory = SupporterDirectory(database: store.database, keys: try site.dataKeys(), clock: clock.clock)
            let campaign = try #require(try await Campaign.query(on: store.database).filter(\.$slug == "sanctuary-schools").first())
            let tagged = try #require(
                try await Supporter.query(on: store.database).filter(
                    \.$emailIndex == SupporterVault(keys: try site.dataKeys()).emailIndex("kwame@example.org")
                ).first()
            )
            try await directory.addTag("phone bank", to: tagged.requireID(), by: .system("test"))
            // Both ways of writing a filter select the same supporters in the same order.
            var filters: [SupporterFilter] = [SupporterFilter()]
            var byCampaign = SupporterFilter()
            byCampaign.campaignID = try campaign.requireID()
            byCampaign.from = clock.clock.now.addingTimeInterval(-3600)
            filters.append(byCampaign)
            var byTag = byCampaign
            byTag.tag = "phone bank"
            filters.append(byTag)
            var byName = byCampaign
            byName.query = "maria"
            filters.append(byName)
            var none = SupporterFilter()
            none.tag = "nobody has this"
            filters.append(none)
            for filter in filters {
                let list = try await directory.filtered(filter, shape: .list).all().map { try $0.requireID() }
                let perSupporter = try await directory.filtered(filter, shape: .perSupporter).all().map { try $0.requireID() }
                #expect(list == perSupporter, "\(filter.auditDescription)")
            }
            #expect(try await directory.filtered(byTag).count() == 1)
            #expect(try await directory.filtered(byName).count() == 2)
            // The export hands over every supporter once, in the list's order, a batch at a time.
            let listed = try await directory.filtered(SupporterFilter()).all().map { try $0.requireID() }
            let batches = Batches()
            let written = try await directory.export(SupporterFilter(), by: .system("test"), batchSize: 2) { batch in
                await batches.add(try batch.map { try $0.supporter.requireID() })
            }
            #expect(written == 3)
            #expect(await batches.all == [Array(listed.prefix(2)), Array(listed.dropFirst(2))])
        }
    }

    actor Batches {
        var all: [[UUID]] = []
        func add(_ batch: [UUID]) { all.append(batch) }
    }

    @Test func test_names_are_found_by_whole_words_through_the_name_index_on_sqlite() async throws { try await searchAndShapes(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_names_are_found_by_whole_words_through_the_name_index_on_postgres() async throws { try await searchAndShapes(.postgres) }
}
