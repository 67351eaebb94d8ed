import AsyncHTTPClient
import CommonsMail
import CommonsOrganizing
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import Testing

/// A mailing sent by the real `commons` binary to a real SMTP server: killed with SIGKILL in
/// the middle it still reaches everyone once restarted, and two servers on one PostgreSQL
/// never send the same message twice.
@Suite(
    "Mail durability",
    .serialized,
    .enabled(if: SMTPTestServer.python != nil, "set COMMONS_TEST_SMTP_PYTHON to a Python with aiosmtpd"),
    .enabled(if: ServerProcessTests.executable != nil, "the commons executable is not built (run swift build first)")
)
struct MailDurabilityTests {
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    /// `count` supporters who take email news, and a mailing to all of them due now.
    static func seedMailing(_ count: Int, on store: CommonsDatabase) async throws {
        let keys = try DataKeys(material: Data(base64Encoded: DurabilityTests.key)!)
        let campaign = try #require(try await Campaign.query(on: store.database).filter(\.$slug == "sanctuary-schools").first())
        let desk = ActionDesk(database: store.database, keys: keys, clock: .system)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    let person = Person(givenName: "Reader", email: "reader\(index)@example.org")
                    _ = try await desk.sign(campaign, ActionSubmission(person: person, emailOptIn: true, smsOptIn: false, formToken: "seed-\(index)"))
                }
            }
            try await group.waitForAll()
        }
        let mailing = try await MailingDesk(database: store.database, keys: keys, clock: .system).save(
            MailingDraft(versions: ["en": ("Rally on Monday", "Come to City Hall.")], audience: MailingAudience(), sendAt: Date()),
            id: nil,
            by: UUID()
        )
        mailing.status = .scheduled
        try await mailing.update(on: store.database)
    }

    static func mailEnvironment(_ smtp: SMTPTestServer, rate: Int) -> [String: String] {
        ["COMMONS_SMTP_URL": smtp.url(), "COMMONS_MAIL_FROM": "CEJ <news@commons.test>", "COMMONS_MAIL_RATE": String(rate)]
    }

    /// How many messages each address received.
    static func deliveries(_ smtp: SMTPTestServer) -> [String: Int] {
        var counts: [String: Int] = [:]
        for message in smtp.messages() {
            if let to = ReceivedMail(raw: message).header("X-Envelope-To") { counts[to, default: 0] += 1 }
        }
        return counts
    }

    static func waitFor(_ seconds: Double, until condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
    }

    @Test func test_kill_9_mid_mailing_then_restart_reaches_everyone_at_most_twice() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-maildurability-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        do {
            // A first start makes the site (migrations, demo content); then the mailing is written.
            let first = try DurabilityTests.Server(folder: folder, port: ServerProcessTests.freePort())
            try await first.waitUntilHealthy(client: client)
            first.process.terminate()
            await first.process.exited()
            let total = 300
            try await CommonsDatabase.using(.sqliteFile(inDataDirectory: folder.path), logger: TestDatabase.logger) { store in
                try await Self.seedMailing(total, on: store)
            }
            let sending = try DurabilityTests.Server(
                folder: folder,
                port: ServerProcessTests.freePort(),
                environment: Self.mailEnvironment(smtp, rate: 100)
            )
            defer { if sending.process.isRunning { kill(sending.process.processIdentifier, SIGKILL) } }
            try await Self.waitFor(60) { smtp.messages().count >= total / 3 }
            kill(sending.process.processIdentifier, SIGKILL)
            await sending.process.exited()
            let before = smtp.messages().count
            #expect(before >= total / 3)
            #expect(before < total, "the mailing had finished before the kill")

            let again = try DurabilityTests.Server(
                folder: folder,
                port: ServerProcessTests.freePort(),
                environment: Self.mailEnvironment(smtp, rate: 100)
            )
            defer { if again.process.isRunning { again.process.terminate() } }
            try await Self.waitFor(60) { Self.deliveries(smtp).count >= total }
            try await Task.sleep(for: .seconds(2))
            let counts = Self.deliveries(smtp)
            #expect(counts.count == total, "every recipient gets the mailing")
            #expect(counts.values.allSatisfy { (1...2).contains($0) }, "nobody gets it more than twice")
            // A copy sent twice carries the same Message-ID, so mail systems can drop it.
            var ids: [String: Set<String>] = [:]
            for message in smtp.messages().map(ReceivedMail.init) {
                ids[message.header("X-Envelope-To") ?? "", default: []].insert(message.header("Message-ID") ?? "")
            }
            #expect(ids.values.allSatisfy { $0.count == 1 })
            again.process.terminate()
            await again.process.exited()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, "set COMMONS_TEST_POSTGRES_URL"))
    func test_two_servers_on_one_postgres_send_each_message_once() async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        let database = try await TestDatabase.make(.postgres)
        defer { Task { await database.destroy() } }
        do {
            guard case .postgres(let url) = database.location else { return }
            let environment = ["DATABASE_URL": url].merging(Self.mailEnvironment(smtp, rate: 200)) { _, new in new }
            // Both start at once, with nothing to send yet; the mailing comes while they run.
            let a = try DurabilityTests.Server(
                folder: database.folder.appendingPathComponent("a"),
                port: ServerProcessTests.freePort(),
                environment: environment
            )
            let b = try DurabilityTests.Server(
                folder: database.folder.appendingPathComponent("b"),
                port: ServerProcessTests.freePort(),
                environment: environment
            )
            defer { for server in [a, b] where server.process.isRunning { server.process.terminate() } }
            try await a.waitUntilHealthy(client: client)
            try await b.waitUntilHealthy(client: client)
            let total = 400
            try await CommonsDatabase.using(database.location, logger: TestDatabase.logger) { store in
                try await Self.seedMailing(total, on: store)
            }
            try await Self.waitFor(90) { smtp.messages().count >= total }
            try await Task.sleep(for: .seconds(3))
            let counts = Self.deliveries(smtp)
            #expect(counts.count == total)
            #expect(counts.values.allSatisfy { $0 == 1 }, "a message was sent twice")
            #expect(smtp.messages().count == total)
            let sent = try await CommonsDatabase.using(database.location, logger: TestDatabase.logger) { store in
                try await OutboxMessage.query(on: store.database).filter(\.$status == .sent).count()
            }
            #expect(sent == total)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
