import CommonsContent
import CommonsCore
import CommonsMail
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import Synchronization
import Testing

@testable import CommonsOrganizing
@testable import CommonsWeb

/// Group writes: a group of public actions is written with a few statements for all of them,
/// and must come out exactly as if each had been written alone, in order.
@Suite("Group writes of public actions")
struct ActionBatchTests {
    /// What the follow-up saw: one entry per group, the number of actions in it.
    final class Groups: Sendable {
        let sizes = Mutex<[Int]>([])
        var all: [Int] { sizes.withLock { $0 } }
    }

    func submission(_ person: Person, token: String, optIn: Bool = true, guests: Int = 0) -> ActionSubmission {
        ActionSubmission(person: person, emailOptIn: optIn, smsOptIn: false, formToken: token, guests: guests)
    }

    func samePersonTwice(_ backend: TestDatabase.Backend) async throws {
        let site = try await TestSite.make(backend)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        let keys = try site.dataKeys()
        try await site.withStore { store async throws in
            let campaign = try #require(try await Campaign.query(on: store.database).filter(\.$slug == "sanctuary-schools").first())
            let groups = Groups()
            let writer = ActionWriter(database: store.database, keys: keys) { recorded, _ in
                groups.sizes.withLock { $0.append(recorded.count) }
            }
            let now = Date()
            func sign(_ person: Person, _ token: String, tags: [String] = []) -> ActionRequest {
                ActionRequest(submission(person, token: token), kind: .signup, tags: campaign.tagList + tags, campaign: campaign, at: now)
            }
            let ana = Person(givenName: "Ana", email: "ana@example.org")
            let results = await writer.write([
                sign(ana, "form-1", tags: ["parent"]),
                sign(Person(givenName: "Bo", email: "bo@example.org", phone: "+12125550100"), "form-2"),
                // Ana again, in the same group: found (made by the first), filled, not duplicated.
                sign(Person(givenName: "Anita", email: "ANA@example.org".lowercased(), postalCode: "10027"), "form-3", tags: ["parent", "bronx"]),
                // The first form sent again: stored once.
                sign(ana, "form-1"),
                // Bo by phone with another address: the same supporter.
                sign(Person(givenName: "Bo", email: "bo.work@example.org", phone: "+12125550100"), "form-4"),
            ])
            let receipts = try results.map { try $0.get() }
            #expect(groups.all == [4], "one group, four new actions: \(groups.all)")
            #expect(receipts.map(\.isNewSupporter) == [true, true, false, false, false])
            #expect(receipts[2].supporterID == receipts[0].supporterID)
            #expect(receipts[4].supporterID == receipts[1].supporterID)
            #expect(receipts[3].outcome == .alreadyRecorded(waitlisted: false))
            #expect(receipts[3].actionID == receipts[0].actionID)
            #expect(Set(receipts.map(\.actionID)).count == 4)
            // Ids that sit together in their indexes: the new supporters' share the minute's
            // keyed prefix (version 8), the actions' begin with the group's time (version 7).
            func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }
            let newSupporters = [receipts[0].supporterID, receipts[1].supporterID].map(bytes)
            #expect(newSupporters[0].prefix(4) == newSupporters[1].prefix(4))
            #expect(newSupporters.allSatisfy { $0[6] >> 4 == 8 && $0[8] >> 6 == 2 })
            let milliseconds = UInt64((now.timeIntervalSince1970 * 1000).rounded())
            for action in receipts.map({ bytes($0.actionID) }) {
                #expect(action[6] >> 4 == 7 && action[8] >> 6 == 2)
                #expect(action.prefix(6).reduce(0) { $0 << 8 | UInt64($1) } == milliseconds)
            }

            #expect(try await Supporter.query(on: store.database).count() == 2)
            let vault = SupporterVault(keys: keys)
            let stored = try #require(try await vault.supporter(withEmail: "ana@example.org", on: store.database))
            // Empty fields filled, the name kept (the person confirms a new one from their address).
            #expect(try vault.open(stored) == Person(givenName: "Ana", email: "ana@example.org", postalCode: "10027"))
            let tags = try await SupporterTag.query(on: store.database).filter(\.$supporter.$id == receipts[0].supporterID).all(\.$name)
            #expect(tags.sorted() == (campaign.tagList + ["bronx", "parent"]).sorted())
            #expect(try await Action.query(on: store.database).filter(\.$supporter.$id == receipts[0].supporterID).count() == 2)
            let changes = try await SupporterChange.query(on: store.database).all()
            #expect(changes.filter { $0.kind == .created }.count == 2)
            #expect(changes.filter { $0.kind == .acted }.count == 4)
            // Every new row has its key, and a new supporter the group's time (one insert per table).
            let tagRows = try await SupporterTag.query(on: store.database).all()
            #expect(Set(tagRows.compactMap(\.id)).count == tagRows.count)
            #expect(Set(changes.compactMap(\.id)).count == 6)
            for supporter in try await Supporter.query(on: store.database).all() {
                #expect(abs(try #require(supporter.createdAt).timeIntervalSince(now)) < 0.001)
                #expect(abs(try #require(supporter.updatedAt).timeIntervalSince(now)) < 0.001)
            }

            // A later group finds them in the database, by every means, and adds only what is new.
            let later = await writer.write([
                sign(Person(givenName: "Ana", email: "ana@example.org"), "form-5", tags: ["parent", "queens"]),
                sign(Person(givenName: "Bo", phone: "+12125550100"), "form-6"),
                sign(ana, "form-3"),
            ])
            let again = try later.map { try $0.get() }
            #expect(again.map(\.supporterID) == [receipts[0].supporterID, receipts[1].supporterID, receipts[0].supporterID])
            #expect(again[2].outcome == .alreadyRecorded(waitlisted: false))
            #expect(again[2].actionID == receipts[2].actionID)
            #expect(try await Supporter.query(on: store.database).count() == 2)
            #expect(try await SupporterTag.query(on: store.database).filter(\.$supporter.$id == receipts[0].supporterID).count() == tags.count + 1)
        }
    }

    @Test func test_new_supporter_ids_group_by_minute_without_telling_the_time() throws {
        let vault = SupporterVault(keys: try DataKeys(material: Data(repeating: 5, count: 32)))
        let other = SupporterVault(keys: try DataKeys(material: Data(repeating: 6, count: 32)))
        let minute = Date(timeIntervalSince1970: 1_800_000_000)  // 30,000,000 minutes exactly
        func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }
        let first = bytes(vault.newSupporterID(at: minute.addingTimeInterval(1.5)))
        let second = bytes(vault.newSupporterID(at: minute.addingTimeInterval(59.25)))
        let next = bytes(vault.newSupporterID(at: minute.addingTimeInterval(60)))
        #expect(first.prefix(4) == second.prefix(4), "one minute, one prefix")
        #expect(first.prefix(4) != next.prefix(4), "the next minute, another")
        #expect(bytes(other.newSupporterID(at: minute.addingTimeInterval(1.5))).prefix(4) != first.prefix(4), "another key, another prefix")
        // The prefix is not the minute written out: 30,000,000 is 01 C9 C3 80.
        #expect(Array(first.prefix(4)) != [0x01, 0xC9, 0xC3, 0x80] && Array(first.prefix(4).reversed()) != [0x01, 0xC9, 0xC3, 0x80])
        #expect(first[4...5] == [0x05, 0xDC], "1,500 ms into the minute")
        #expect(second[4...5] == [0xE7, 0x72], "59,250 ms into the minute")
        #expect(first.lexicographicallyPrecedes(second), "later in the minute sorts later")
        #expect(first[6] >> 4 == 8 && first[8] >> 6 == 2, "version 8, RFC 9562 variant")
        #expect(first != bytes(vault.newSupporterID(at: minute.addingTimeInterval(1.5))), "random after the time")
    }

    @Test func test_a_person_twice_in_one_group_is_one_supporter_on_sqlite() async throws { try await samePersonTwice(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_a_person_twice_in_one_group_is_one_supporter_on_postgres() async throws { try await samePersonTwice(.postgres) }

    @Test func test_seats_are_counted_across_a_group() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        let keys = try site.dataKeys()
        try await site.withStore { store async throws in
            let now = Date()
            let event = try await EventDirectory(database: store.database, clock: .system).create(
                EventDraft(
                    title: "Town hall",
                    description: "x",
                    startsAt: now + 86_400,
                    endsAt: now + 90_000,
                    timeZone: "America/New_York",
                    capacity: 4
                )
            )
            let writer = ActionWriter(database: store.database, keys: keys)
            func rsvp(_ index: Int, guests: Int) -> ActionRequest {
                ActionRequest(
                    submission(Person(givenName: "P\(index)", email: "p\(index)@example.org"), token: "rsvp-\(index)", guests: guests),
                    kind: .rsvp,
                    tags: [],
                    event: event,
                    at: now
                )
            }
            // 2 seats, 1, then 2 (would make 5: waitlisted), then 1 (fits: 4).
            let first = try await writer.write([rsvp(1, guests: 1), rsvp(2, guests: 0), rsvp(3, guests: 1), rsvp(4, guests: 0)]).map { try $0.get() }
            #expect(first.map(\.outcome) == [false, false, true, false].map { ActionOutcome.recorded(waitlisted: $0) })
            // The next group counts what the first stored.
            let second = try await writer.write([rsvp(5, guests: 0)]).map { try $0.get() }
            #expect(second.map(\.outcome) == [.recorded(waitlisted: true)])
        }
    }

    @Test func test_one_failing_action_in_a_group_is_undone_alone() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        let keys = try site.dataKeys()
        try await site.withStore { store async throws in
            let campaign = try #require(try await Campaign.query(on: store.database).filter(\.$slug == "sanctuary-schools").first())
            // A campaign deleted while its form was being sent: its action cannot be stored.
            let gone = Campaign()
            gone.id = UUID()
            gone.kind = .signup
            let writer = ActionWriter(database: store.database, keys: keys)
            let requests = (0..<20).map { index in
                ActionRequest(
                    submission(Person(givenName: "P\(index)", email: "p\(index)@example.org"), token: "form-\(index)"),
                    kind: .signup,
                    tags: [],
                    campaign: index == 7 ? gone : campaign,
                    at: Date()
                )
            }
            let results = await writer.write(requests)
            #expect(results.enumerated().allSatisfy { index, result in (try? result.get()) == nil ? index == 7 : index != 7 })
            #expect(try await Action.query(on: store.database).count() == 19)
            #expect(try await Supporter.query(on: store.database).count() == 19)
            #expect(try await SupporterVault(keys: keys).supporter(withEmail: "p7@example.org", on: store.database) == nil)
        }
    }
}
