import CommonsCore
import CommonsMail
import CommonsPrivacy
import FluentKit
import Foundation
import Testing

@testable import CommonsWeb

/// A mailing goes to the outbox a thousand copies at a time, each thousand in its own short
/// transaction; one cut short by a stopped server is finished later, once for everyone.
@Suite("Mailing queue")
struct MailingQueueTests {
    func bigMailingInChunks(_ backend: TestDatabase.Backend) async throws {
        let site = try await TestSite.make(backend)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let people = 2 * MailingDesk.chunkSize + 100
            try await MailDurabilityTests.seedMailing(people, on: store)
            let keys = try DataKeys(material: Data(base64Encoded: DurabilityTests.key)!)
            let clock = TestClock()
            let outbox = Outbox(database: store.database, keys: keys, clock: clock.clock, sender: MailSender("news@commons.test")!)
            let desk = MailingDesk(database: store.database, keys: keys, clock: clock.clock)
            let compose: MailingComposer = { version, person in
                MailMessage(to: person.email, subject: version.subject, text: version.body, html: "<p>\(version.body)</p>", language: "en")
            }
            let first = try await desk.queueDue(outbox: outbox, compose: compose)
            #expect(first.mailings == 1 && first.messages == people)
            let mailing = try #require(try await Mailing.query(on: store.database).first())
            let id = try mailing.requireID()
            #expect(mailing.status == .queued && mailing.recipients == people)

            // As a server that stopped after its first thousand leaves it: the rest never made.
            let rows = try await OutboxMessage.query(on: store.database).filter(\.$mailingID == id).all(\.$id)
            try await OutboxMessage.query(on: store.database).filter(\.$id ~~ Array(rows.dropFirst(MailingDesk.chunkSize))).delete()
            mailing.status = .queueing
            mailing.updatedAt = clock.clock.now
            try await mailing.update(on: store.database)
            // While that server could still be at work, nobody takes it over.
            let early = try await desk.queueDue(outbox: outbox, compose: compose)
            #expect(early.mailings == 0 && early.messages == 0)
            clock.advance(by: MailingDesk.abandonedAfter + 1)
            let resumed = try await desk.queueDue(outbox: outbox, compose: compose)
            #expect(resumed.mailings == 1 && resumed.messages == people - MailingDesk.chunkSize)
            // Everyone once: nobody who had a copy gets a second.
            let copies = try await OutboxMessage.query(on: store.database).filter(\.$mailingID == id).all(\.$supporterID)
            #expect(copies.count == people && Set(copies).count == people)
            let finished = try #require(try await Mailing.find(id, on: store.database))
            #expect(finished.status == .queued && finished.recipients == people)
            // A queued mailing is never taken again, and cannot be sent again.
            let again = try await desk.queueDue(outbox: outbox, compose: compose)
            #expect(again.mailings == 0 && again.messages == 0)
            await #expect(throws: MailingError.notEditable) {
                try await desk.send(id, at: nil, by: .system("test"), outbox: outbox, compose: compose)
            }
        }
    }

    @Test func test_a_big_mailing_is_queued_a_thousand_at_a_time_and_one_cut_short_is_finished_once_on_sqlite() async throws {
        try await bigMailingInChunks(.sqlite)
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_a_big_mailing_is_queued_a_thousand_at_a_time_and_one_cut_short_is_finished_once_on_postgres() async throws {
        try await bigMailingInChunks(.postgres)
    }
}
