import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsMail
import CommonsStorage
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsOrganizing
@testable import CommonsWeb

let scaleTestsAsked = ProcessInfo.processInfo.environment["COMMONS_TEST_SCALE"] == "1"

/// The staff supporter list at a real coalition's size: a campaign of 40,000. Seeding and
/// decrypting that many keeps both cores busy for a minute or more, which would skew the
/// suite's timing tests, so these run alone: `COMMONS_TEST_SCALE=1 swift test --filter
/// ScaleTests` (`.ci/run` does, after the suite).
@Suite("Scale", .enabled(if: scaleTestsAsked, "set COMMONS_TEST_SCALE=1 to run the 40,000-supporter tests (.ci/run runs them alone)"))
struct ScaleTests {
    /// Writes `count` sealed supporters who signed `campaignID`, every other one tagged
    /// `parents`, in multi-row inserts (the domain's own writer would take minutes in a debug build).
    static func seed(_ count: Int, campaignID: UUID, site: TestSite) async throws {
        let vault = SupporterVault(keys: try site.dataKeys())
        let start = Date()
        try await site.withStore { store async throws in
            for first in stride(from: 0, to: count, by: 500) {
                var supporters: [Supporter] = []
                var actions: [Action] = []
                var tags: [SupporterTag] = []
                for index in first..<min(first + 500, count) {
                    let supporter = Supporter()
                    supporter.id = UUID()
                    try vault.seal(
                        Person(givenName: "Parent", familyName: "Number \(index)", email: "parent\(index)@example.org"),
                        into: supporter
                    )
                    // 36,000 of 40,000 take email: a mailing's audience past SQLite's 32,766 parameters.
                    supporter.emailOptIn = index % 10 != 0
                    supporter.smsOptIn = false
                    // Seven at a time share a moment, so paging must order ties by id.
                    supporter.lastActionAt = start.addingTimeInterval(Double(index / 7))
                    supporters.append(supporter)
                    let action = Action()
                    action.$supporter.id = supporter.id!
                    action.$campaign.id = campaignID
                    action.kind = .signup
                    action.formToken = "seed-\(index)"
                    action.emailOptIn = supporter.emailOptIn
                    action.smsOptIn = false
                    action.guests = 0
                    action.waitlisted = false
                    action.createdAt = supporter.lastActionAt
                    actions.append(action)
                    if index % 2 == 0 {
                        let tag = SupporterTag()
                        tag.$supporter.id = supporter.id!
                        tag.name = "parents"
                        tags.append(tag)
                    }
                }
                let (batch, batchActions, batchTags) = (supporters, actions, tags)
                try await store.database.transaction { db in
                    try await batch.create(on: db)
                    try await batchActions.create(on: db)
                    try await batchTags.create(on: db)
                }
            }
        }
    }

    func campaignOf40000(_ backend: TestDatabase.Backend) async throws {
        let site = try await TestSite.make(backend)
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "organizer@example.org", role: .organizer)
        try await site.run { _ in }  // loads the demo content, with its campaign
        let campaignID = try await site.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            return try #require(try await Campaign.query(on: store.database).first()?.requireID())
        }
        try await Self.seed(40_000, campaignID: campaignID, site: site)
        try await site.run { client in
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "organizer@example.org"))
            func summary(_ path: String) async throws -> (total: Int, page: Int, pages: Int, rows: Int) {
                let response = try await organizer.get(client, path)
                #expect(response.status == .ok, "\(path)")
                let match = try #require(response.text.firstMatch(of: /([\d,.  ]+) supporters, page ([\d,.  ]+) of ([\d,.  ]+)/))
                func number(_ text: Substring) -> Int { Int(text.filter(\.isNumber)) ?? -1 }
                let rows = response.text.matches(of: /<a href="\/admin\/supporters\/[0-9A-Fa-f-]{36}">/).count
                return (number(match.output.1), number(match.output.2), number(match.output.3), rows)
            }
            let campaign = try await summary("/admin/supporters?campaign=\(campaignID.uuidString)")
            #expect(campaign.total == 40_000 && campaign.pages == 800 && campaign.rows == 50)
            let last = try await summary("/admin/supporters?campaign=\(campaignID.uuidString)&page=800")
            #expect(last.page == 800 && last.rows == 50)
            let tagged = try await summary("/admin/supporters?tag=parents&page=3")
            #expect(tagged.total == 20_000 && tagged.page == 3 && tagged.rows == 50)
            let named = try await summary("/admin/supporters?campaign=\(campaignID.uuidString)&q=number+39999")
            #expect(named.total == 1 && named.rows == 1)
            let export = try await organizer.get(client, "/admin/supporters/export.csv?campaign=\(campaignID.uuidString)")
            #expect(export.status == .ok)
            let lines = export.text.split(separator: "\r\n")
            #expect(lines.count == 40_001)
            // Each supporter once: the export pages by (last action, id) through the ties.
            let emails = Set(lines.dropFirst().compactMap { $0.firstMatch(of: /parent\d+@example\.org/).map { String($0.output) } })
            #expect(emails.count == 40_000)
        }
        try await site.withStore { store async throws in
            // A mailing to the campaign reaches everyone who takes email (the suppression list
            // is asked a thousand addresses at a time).
            let keys = try site.dataKeys()
            let outbox = Outbox(database: store.database, keys: keys, clock: .system, sender: MailSender("news@commons.test")!)
            let audience = try await MailingDesk(database: store.database, keys: keys, clock: .system)
                .recipients(MailingAudience(campaignID: campaignID), outbox: outbox)
            #expect(audience.count == 36_000)
            // Every supporter's name was indexed as it was sealed.
            #expect(try await Supporter.query(on: store.database).filter(\.$nameIndex == nil).count() == 0)
        }
    }

    @Test func test_a_campaign_of_40000_lists_pages_and_exports_on_sqlite() async throws { try await campaignOf40000(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_a_campaign_of_40000_lists_pages_and_exports_on_postgres() async throws { try await campaignOf40000(.postgres) }
}
