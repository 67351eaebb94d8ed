import AsyncHTTPClient
import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsMail
import CommonsOrganizing
import CommonsPartners
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import CommonsWeb

@Suite("Privacy")
struct PrivacyTests {
    @Test func test_trace_is_refused_and_oversized_forms_get_413() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let trace = try await client.execute(uri: "/", method: .trace)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.contentSecurityPolicy] != nil)
            let big = String(repeating: "a", count: 70 * 1024)
            let tooLarge = try await client.post("/campaigns/sanctuary-schools", form: [("given_name", big)])
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.text.contains("larger than this site accepts"))
        }
    }

    @Test func test_privacy_page_says_what_is_kept_and_for_how_long() async throws {
        var site = try await TestSite.make()
        site.settings.retention = RetentionPolicy(rsvpDays: 30, supporterMonths: 24)
        let database = site.database
        defer { Task { await database.destroy() } }
        try await site.run { client async throws in
            let html = try await client.get("/privacy").text
            #expect(html.contains("<h1>Your privacy</h1>"))
            #expect(html.contains("RSVPs are deleted 30 days after their event."))
            #expect(html.contains("24 months"))
            #expect(try await client.get("/").text.contains("href=\"/privacy\""))
        }
    }

    /// The domain writes a supporter change and its audit line in one transaction: when the line
    /// cannot be written (here the real database refuses every insert into the log), the change
    /// is not made either, so nothing happens to a person's record without its record.
    @Test func test_a_supporter_change_and_its_audit_line_commit_together_or_not_at_all() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            _ = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, canary)
        }
        try await site.withStore { store async throws in
            let keys = try site.dataKeys()
            let directory = SupporterDirectory(database: store.database, keys: keys, clock: clock.clock)
            let id = try #require(try await Supporter.query(on: store.database).first()?.requireID())
            try await store.sql.raw("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END").run()
            await #expect(throws: (any Error).self) { try await directory.addTag("needs-call", to: id, by: .system("test")) }
            await #expect(throws: (any Error).self) { try await directory.delete(id, by: .system("test")) }
            await #expect(throws: (any Error).self) { _ = try await directory.detail(id, by: .system("test")) }
            #expect(try await SupporterTag.query(on: store.database).filter(\.$name == "needs-call").count() == 0)
            #expect(try await Supporter.find(id, on: store.database) != nil)
            try await store.sql.raw("DROP TRIGGER refuse_audit").run()
            try await directory.addTag("needs-call", to: id, by: .system("test"))
            #expect(try await SupporterTag.query(on: store.database).filter(\.$name == "needs-call").count() == 1)
            let line = try #require(try await AuditEntry.query(on: store.database).filter(\.$action == "supporter.tagged").first())
            #expect(line.subjectID == id.uuidString && line.detail == "test")
        }
    }

    @Test func test_purge_deletes_expired_rsvps_and_inactive_supporters_from_the_file() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let now = clock.clock.now
            try await EventDirectory(database: store.database, clock: clock.clock).create(
                EventDraft(title: "Rally", description: "x", startsAt: now + 3600, endsAt: now + 7200, timeZone: "America/New_York")
            )
        }
        try await site.run { client async throws in
            _ = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, canary)
            _ = try await client.fillAndSend("/events/rally", clock: clock, [("given_name", "Returning"), ("email", "returning@example.org")])
        }
        // The canary's email as it sits in the file (encrypted).
        let sealed: Data = try await site.withStore { store async throws in
            let keys = try site.dataKeys()
            let supporter = try #require(try await SupporterVault(keys: keys).supporter(withEmail: "canary.person@example.org", on: store.database))
            return try #require(
                try await store.sql.raw("SELECT email FROM supporters WHERE id = \(bind: supporter.requireID())").first()?.decode(
                    column: "email",
                    as: Data.self
                )
            )
        }
        // 91 days later the RSVP has expired; the people are still within 36 months.
        clock.advance(by: 91 * 86400)
        try await site.withStore { store async throws in
            let report = try await Retention(database: store.database, clock: clock.clock).purge(RetentionPolicy(), by: .system("test"))
            #expect(report.rsvps == 1)
            #expect(report.supporters == 0)
            #expect(try await Supporter.query(on: store.database).count() == 2)
        }
        // 37 months later both are inactive: gone, with their actions and tags.
        clock.advance(by: 37 * 31 * 86400)
        try await site.withStore { store async throws in
            let report = try await Retention(database: store.database, clock: clock.clock).purge(RetentionPolicy(), by: .system("test"))
            #expect(report.supporters == 2)
            #expect(try await Supporter.query(on: store.database).count() == 0)
            #expect(try await Action.query(on: store.database).count() == 0)
            #expect(try await SupporterTag.query(on: store.database).count() == 0)
            // Each purge recorded itself, with its counts, in its own transaction.
            let lines = try await AuditEntry.query(on: store.database).filter(\.$action == "retention.purged").all().map(\.detail)
            #expect(lines.sorted() == ["test rsvps=0 supporters=2", "test rsvps=1 supporters=0"])
        }
        var raw = Data()
        for suffix in ["", "-wal"] {
            raw.append((try? Data(contentsOf: URL(fileURLWithPath: site.settings.dataDirectory + "/commons.sqlite" + suffix))) ?? Data())
        }
        #expect(raw.range(of: sealed) == nil, "the deleted value is still in the database file")
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable && PrivacyTests.pgDump != nil, "needs COMMONS_TEST_POSTGRES_URL and pg_dump"))
    func test_a_pg_dump_holds_no_personal_data_in_the_clear() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(.postgres, clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            #expect(try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, canary).status == .seeOther)
        }
        guard case .postgres(let url) = site.database.location else { return }
        let (status, dump) = try await Self.dump(url)
        #expect(status == 0)
        #expect(dump.count > 1000)
        for secret in ["Zanzibarina", "Quetzalcoatlova", "canary.person@example.org", "2125550199", "Canary Academy"] {
            #expect(dump.range(of: Data(secret.utf8)) == nil, "\(secret) is in the dump in the clear")
        }
    }

    /// What `pg_dump` writes of a database, and how it ended.
    static func dump(_ url: String) async throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pgDump!)
        process.arguments = ["--dbname=\(url)", "--no-owner"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dump = await output.fileHandleForReading.readAllWithoutBlocking()
        await process.exited()
        return (process.terminationStatus, dump)
    }

    static let pgDump: String? = {
        let candidates =
            ["/usr/bin/pg_dump"]
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed().map {
                "/usr/lib/postgresql/\($0)/bin/pg_dump"
            }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    @Test(.enabled(if: ServerProcessTests.executable != nil, "the commons executable is not built (run swift build first)"))
    func test_the_logs_hold_no_personal_data_or_addresses_even_at_trace() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-logs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = ServerProcessTests.freePort()
        let process = Process()
        process.executableURL = ServerProcessTests.executable
        process.arguments = ["serve", "--port", String(port)]
        process.environment = ["COMMONS_DATA_DIR": folder.path, "LOG_LEVEL": "trace", "PATH": "/usr/bin:/bin"]
        // With a mail server, the confirmation to the canary is sent too, and its delivery logged.
        let smtp = try SMTPTestServer.python.map { try SMTPTestServer(python: $0) }
        defer { smtp?.stop() }
        if let smtp {
            process.environment?["COMMONS_SMTP_URL"] = smtp.url()
            process.environment?["COMMONS_MAIL_FROM"] = "news@commons.test"
        }
        // A file, not a pipe: at trace level the server writes more than a pipe holds before it
        // listens, and a pipe nobody reads would stop it there.
        let logFile = folder.appendingPathExtension("log")
        defer { try? FileManager.default.removeItem(at: logFile) }
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: logFile)
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            let base = "http://127.0.0.1:\(port)"
            var html = ""
            for _ in 0..<300 where html.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                if let page = try? await client.execute(HTTPClientRequest(url: "\(base)/campaigns/sanctuary-schools"), timeout: .seconds(2)) {
                    html = String(buffer: try await page.body.collect(upTo: 1 << 20))
                }
            }
            let token = try formToken(in: html)
            try await Task.sleep(for: .milliseconds(3200))
            var request = HTTPClientRequest(url: "\(base)/campaigns/sanctuary-schools?utm=Zanzibarina")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.headers.add(name: "Cookie", value: "tracker=Quetzalcoatlova")
            request.body = .bytes(formBody([("form_token", token)] + canary))
            let response = try await client.execute(request, timeout: .seconds(10))
            #expect(response.status == .seeOther)
            if let smtp { #expect(try await smtp.waitForMessages(1).count == 1) }
        } catch {
            try? await client.shutdown()
            process.terminate()
            throw error
        }
        try await client.shutdown()
        process.terminate()
        await process.exited()
        let log = String(decoding: try Data(contentsOf: logFile), as: UTF8.self)
        #expect(log.contains("POST /campaigns/sanctuary-schools 303"))
        for secret in [
            "Zanzibarina", "Quetzalcoatlova", "canary.person", "Canary.Person", "2125550199", "Canary Academy", "127.0.0.1:", "form_token",
        ] where secret != "127.0.0.1:" {
            #expect(!log.contains(secret), "\(secret) is in the log")
        }
        // The only address in the log is the one the server listens on.
        #expect(log.components(separatedBy: "127.0.0.1").count - 1 == log.components(separatedBy: "127.0.0.1:\(port)").count - 1)
    }
}

@Suite("Key rotation")
struct KeyRotationTests {
    @Test func test_rotation_re_encrypts_every_supporter_while_the_site_serves() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        let authenticator = try await site.run { client async throws -> [UInt8] in
            // A webhook's secret, sealed under version 1.
            let authenticator = try await site.withStore { store async throws -> [UInt8] in
                let keys = try site.dataKeys()
                _ = try await WebhookDirectory(database: store.database, keys: keys, clock: .system, allowLocal: false)
                    .register(url: "https://partner.example.org/hook", events: [.personCreated], by: .system("test"))
                // A staff member's authenticator secret, sealed under version 1.
                let accountID = try await StaffDirectory(database: store.database, clock: .system)
                    .add(email: "ana@example.org", name: "", role: .admin, password: staffPassword, by: nil).requireID()
                let twoFactor = TwoFactor(database: store.database, clock: .system, keys: keys)
                let secret = try await twoFactor.pendingSecret(for: accountID)
                _ = try await twoFactor.enable(accountID, code: TOTP.code(secret: secret, step: TOTP.step(at: Date())), keeping: nil)
                return secret
            }
            _ = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Before"), ("email", "before@example.org")]
            )
            // Another process adds key version 2 while this server runs.
            let (operatorKeys, _) = try DataKeys.load(environmentValue: nil, dataDirectory: site.settings.dataDirectory)
            #expect(try operatorKeys.addVersion() == 2)
            try await Task.sleep(for: .milliseconds(2500))  // the server rereads the key file within two seconds
            _ = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, [("given_name", "After"), ("email", "after@example.org")])
            // The earlier supporter, still under version 1, is found again rather than duplicated.
            _ = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Before"), ("email", "BEFORE@example.org"), ("school", "P.S. 5")]
            )
            return authenticator
        }
        try await site.withStore { store async throws in
            let (keys, _) = try DataKeys.load(environmentValue: nil, dataDirectory: site.settings.dataDirectory)
            #expect(keys.version == 2)
            #expect(try await Supporter.query(on: store.database).count() == 2)
            func versions() async throws -> [UInt8] {
                try await store.sql.raw("SELECT given_name FROM supporters").all().map {
                    try FieldCipher.version(of: $0.decode(column: "given_name", as: Data.self))!
                }
            }
            let before = try await versions().sorted()
            #expect(before == [1, 2] || before == [2, 2])
            // The three confirmations wait in the outbox (no mail server), the first under version 1.
            func outboxVersions() async throws -> [UInt8] {
                try await store.sql.raw("SELECT recipient, content FROM outbox").all().flatMap { row in
                    [
                        try FieldCipher.version(of: row.decode(column: "recipient", as: Data.self))!,
                        try FieldCipher.version(of: row.decode(column: "content", as: Data.self))!,
                    ]
                }
            }
            #expect(try await outboxVersions().contains(1))
            let report = try await KeyRotation(database: store.database, keys: keys).rotate(
                addingVersion: false,
                also: {
                    try await Outbox.reseal(database: store.database, keys: keys) + WebhookKeys.reseal(database: store.database, keys: keys)
                        + TwoFactor.reseal(database: store.database, keys: keys)
                },
                by: .system("test"),
                clock: .system
            )
            #expect(report.supporters <= 1 && report.addedVersion == nil && report.version == 2)
            #expect(report.others >= 1)
            #expect(try await outboxVersions().count == 6)
            #expect(Set(try await outboxVersions()) == [2])
            let secrets = try await store.sql.raw("SELECT secret FROM webhooks").all().map {
                try FieldCipher.version(of: $0.decode(column: "secret", as: Data.self))
            }
            #expect(secrets == [2], "the webhook's secret moved to the new key too")
            let totp = try await store.sql.raw("SELECT totp_secret FROM staff_accounts").all().map {
                try FieldCipher.version(of: $0.decode(column: "totp_secret", as: Data.self))
            }
            #expect(totp == [2], "the authenticator secret moved to the new key too")
            let account = try #require(try await StaffDirectory(database: store.database, clock: .system).account(email: "ana@example.org"))
            // It still opens: the next step's code is accepted.
            let nextCode = TOTP.code(secret: authenticator, step: TOTP.step(at: Date()) + 1)
            #expect(
                try await TwoFactor(database: store.database, clock: .system, keys: keys).verify(account.requireID(), code: nextCode)
                    == .authenticator
            )
            // The rotation records itself, with the version and the count.
            let line = try #require(try await AuditEntry.query(on: store.database).filter(\.$action == "keys.rotated").first())
            #expect(line.detail == "test version=2 supporters=\(report.supporters)")
            #expect(try await versions() == [2, 2])
            let vault = SupporterVault(keys: keys)
            for email in ["before@example.org", "after@example.org"] {
                let supporter = try #require(try await vault.supporter(withEmail: email, on: store.database))
                #expect(try vault.open(supporter).email == email)
            }
            #expect(try vault.open(try #require(try await vault.supporter(withEmail: "before@example.org", on: store.database))).school == "P.S. 5")
        }
        // A restart with the rotated key file still starts (the rotation updated the key check).
        try await site.run { client async throws in #expect(try await client.get("/healthz").status == .ok) }
    }

    @Test func test_keys_given_in_the_environment_carry_their_versions() throws {
        let new = Data(repeating: 9, count: 32).base64EncodedString()
        let old = Data(repeating: 8, count: 32).base64EncodedString()
        let (keys, created) = try DataKeys.load(environmentValue: "2:\(new),1:\(old)", dataDirectory: "/nonexistent")
        #expect(!created)
        #expect(keys.version == 2)
        let oldKeys = try DataKeys(material: Data(repeating: 8, count: 32))
        let sealed = try FieldCipher(keys: oldKeys).seal(
            "x",
            table: "t",
            column: "c",
            rowID: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!
        )
        #expect(
            try FieldCipher(keys: keys).open(sealed, table: "t", column: "c", rowID: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!) == "x"
        )
        #expect(throws: DataKeyError.rotationNeedsKeyFile) { try keys.addVersion() }
        #expect(throws: DataKeyError.notBase64) { try DataKeys.load(environmentValue: "2:???", dataDirectory: "/nonexistent") }
    }
}
