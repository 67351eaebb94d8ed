import CommonsOrganizing
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// Collects which sign-ups were answered 303, and when.
actor AnsweredSignUps {
    private(set) var answered: [(email: String, at: ContinuousClock.Instant)] = []
    func add(_ email: String) { answered.append((email, .now)) }
    func before(_ instant: ContinuousClock.Instant) -> [String] { answered.filter { $0.at < instant }.map(\.email) }
}

@Suite("Backups")
struct BackupTests {
    /// Form tokens for `count` sign-ups, as that many people opening the page.
    func tokens(_ count: Int, client: any TestClientProtocol, clock: TestClock) async throws -> [String] {
        var tokens: [String] = []
        for _ in 0..<count { tokens.append(try formToken(in: try await client.get("/campaigns/sanctuary-schools").text)) }
        clock.advance(by: 5)
        return tokens
    }

    /// Sign-ups sent at once, each with its own form token; the acknowledged ones noted.
    func signUps(_ emails: [String], tokens: [String], client: any TestClientProtocol, into acknowledged: AnsweredSignUps) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (email, token) in zip(emails, tokens) {
                group.addTask {
                    let response = try await client.post(
                        "/campaigns/sanctuary-schools",
                        form: [("form_token", token), ("given_name", "Load"), ("email", email)]
                    )
                    if response.status == .seeOther { await acknowledged.add(email) }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The site restored into a new place with the same data key: what the restore reports.
    func restoring(_ file: String, from site: TestSite, into target: TestDatabase, key: Bool = true) async throws -> Backups.RestoreReport {
        var settings = site.settings
        settings.dataDirectory = target.folder.path
        settings.database = target.location
        if key {
            let keys = target.folder.appendingPathComponent("keys")
            try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: site.settings.dataDirectory).appendingPathComponent("keys/data.key"),
                to: keys.appendingPathComponent("data.key")
            )
        }
        return try await Backups.restore(from: file, settings: settings, force: false, logger: TestDatabase.logger)
    }

    func backupUnderLoadRestoresEveryAcknowledgedSignUp(_ backend: TestDatabase.Backend) async throws {
        let clock = TestClock()
        var site = try await TestSite.make(backend, clock: clock.clock)
        site.settings.formRateLimit = 0
        let database = site.database
        defer { Task { await database.destroy() } }
        let acknowledged = AnsweredSignUps()
        let settings = site.settings
        let during = database.folder.appendingPathComponent("during.backup").path
        let after = database.folder.appendingPathComponent("after.backup").path
        let started: ContinuousClock.Instant = try await site.runLive { client async throws in
            let first = try await tokens(20, client: client, clock: clock)
            try await signUps((1...20).map { "first\($0)@example.org" }, tokens: first, client: client, into: acknowledged)
            // The backup starts once some of forty more sign-ups have been answered, while the rest arrive.
            let second = try await tokens(40, client: client, clock: clock)
            async let load: Void = signUps((1...40).map { "second\($0)@example.org" }, tokens: second, client: client, into: acknowledged)
            while await acknowledged.before(.now).count < 25 { try await Task.sleep(for: .milliseconds(1)) }
            let started = ContinuousClock.now
            let report = try await Backups.write(settings: settings, to: during, logger: TestDatabase.logger)
            #expect(report.bytes > 0 && report.sha256.count == 64)
            try await load
            _ = try await Backups.write(settings: settings, to: after, logger: TestDatabase.logger)
            return started
        }
        let everyone = await acknowledged.before(.now)
        #expect(await acknowledged.before(started).count >= 25)
        #expect(everyone.count == 60)
        for (file, expected) in [(during, await acknowledged.before(started)), (after, everyone)] {
            let target = try await TestDatabase.make(backend)
            defer { Task { await target.destroy() } }
            let report = try await restoring(file, from: site, into: target)
            #expect(report.supporters >= expected.count)
            let store = try await CommonsDatabase.open(target.location, logger: TestDatabase.logger)
            let keys = try DataKeys.load(environmentValue: nil, dataDirectory: target.folder.path).keys
            for email in expected {
                #expect(try await SupporterVault(keys: keys).supporter(withEmail: email, on: store.database) != nil, "\(email) in \(file)")
            }
            await store.shutdown()
        }
    }

    @Test func test_a_backup_taken_under_sign_up_load_restores_every_acknowledged_sign_up_on_sqlite() async throws {
        try await backupUnderLoadRestoresEveryAcknowledgedSignUp(.sqlite)
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_a_backup_taken_under_sign_up_load_restores_every_acknowledged_sign_up_on_postgres() async throws {
        try await backupUnderLoadRestoresEveryAcknowledgedSignUp(.postgres)
    }

    @Test func test_restore_refuses_a_site_already_there_a_missing_or_wrong_key_and_a_damaged_file() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            _ = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, canary)
        }
        let file = site.database.folder.appendingPathComponent("site.backup").path
        _ = try await Backups.write(settings: site.settings, to: file, logger: TestDatabase.logger)
        // Never over an existing file.
        await #expect(throws: BackupError.exists(file)) {
            _ = try await Backups.write(settings: site.settings, to: file, logger: TestDatabase.logger)
        }
        // Not over the site that is there, unless forced.
        await #expect(throws: BackupError.notEmpty) {
            _ = try await Backups.restore(from: file, settings: site.settings, force: false, logger: TestDatabase.logger)
        }
        #expect(try await Backups.restore(from: file, settings: site.settings, force: true, logger: TestDatabase.logger).supporters == 1)

        // Without a key, or with another one: refused, and nothing is left in the new place.
        let empty = try await TestDatabase.make(.sqlite)
        defer { Task { await empty.destroy() } }
        await #expect(throws: RestoreError.self) { _ = try await restoring(file, from: site, into: empty, key: false) }
        _ = try DataKeys.load(environmentValue: nil, dataDirectory: empty.folder.path)
        await #expect(throws: RestoreError.self) { _ = try await restoring(file, from: site, into: empty, key: false) }
        #expect(!FileManager.default.fileExists(atPath: empty.folder.appendingPathComponent("commons.sqlite").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.folder.path).sorted() == ["keys"])

        // A damaged file is refused before anything is replaced.
        let damaged = site.database.folder.appendingPathComponent("damaged.backup").path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes.replaceSubrange(100..<4096, with: Data(repeating: 0x5A, count: 3996))
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let other = try await TestDatabase.make(.sqlite)
        defer { Task { await other.destroy() } }
        await #expect(throws: (any Error).self) { _ = try await restoring(damaged, from: site, into: other) }
        #expect(!FileManager.default.fileExists(atPath: other.folder.appendingPathComponent("commons.sqlite").path))
    }

    @Test func test_the_daily_backup_keeps_the_newest_few() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        let folder = site.database.folder.appendingPathComponent("backups").path
        let store = try await CommonsDatabase.open(site.settings.database, logger: TestDatabase.logger)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for day in 0..<4 {
            try await Backups.scheduled(store: store, folder: folder, keep: 2, now: start.addingTimeInterval(Double(day) * 86400))
        }
        await store.shutdown()
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(kept == ["commons-20270117-080000.sqlite", "commons-20270118-080000.sqlite"])
        let mode = try FileManager.default.attributesOfItem(atPath: "\(folder)/\(kept[0])")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
