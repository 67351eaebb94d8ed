import CommonsDemo
import CommonsMail
import CommonsPrivacy
import CommonsStorage
import CommonsWeb
import Foundation

// bench-seed POSTS SUPPORTERS [MAILING_IN_SECONDS]: prepares the data folder `commons` would use
// (same environment: COMMONS_DATA_DIR, DATABASE_URL, COMMONS_DATA_KEY), with the demo content
// plus generated posts and supporters (every other one takes email news), for the benchmark.
// With a third number it also schedules a mailing to everyone who takes email news, due that
// many seconds from now, for `bench/mail.sh`. Not for a real site.
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
guard (2...3).contains(arguments.count), arguments.count == CommandLine.arguments.count - 1, arguments.allSatisfy({ $0 >= 0 }) else {
    FileHandle.standardError.write(Data("usage: bench-seed POSTS SUPPORTERS [MAILING_IN_SECONDS]\n".utf8))
    exit(64)
}
var settings = try Settings.fromEnvironment()
settings.logLevel = .warning
let logger = makeLogger(settings: settings)
let store = try await CommonsDatabase.open(settings.database, logger: logger)
do {
    try await store.migrate(AllMigrations.list)
    let keys = try await loadDataKeys(settings: settings, store: store, logger: logger)
    _ = try await DemoContent.loadIfEmpty(on: store.database, clock: .system)
    let started = ContinuousClock.now
    try await GeneratedContent.add(posts: arguments[0], supporters: arguments[1], on: store.database, keys: keys, clock: .system)
    print("bench-seed: \(arguments[0]) posts and \(arguments[1]) supporters added in \(ContinuousClock.now - started)")
    if arguments.count == 3 {
        try await scheduleMailing(in: arguments[2], on: store, keys: keys)
        print("bench-seed: a mailing to everyone who takes email news is due in \(arguments[2]) s")
    }
    await store.shutdown()
} catch {
    await store.shutdown()
    FileHandle.standardError.write(Data("bench-seed: \(error)\n".utf8))
    exit(1)
}

/// A function, not top-level code: there `update(on:)` would pick Fluent's future-returning
/// overload and not wait for it.
func scheduleMailing(in seconds: Int, on store: CommonsDatabase, keys: DataKeys) async throws {
    let desk = MailingDesk(database: store.database, keys: keys, clock: .system)
    let body = String(repeating: "Parents, students and educators: come to the **hearing** on Monday. ", count: 12)
    let mailing = try await desk.save(
        MailingDraft(
            versions: ["en": ("Hearing on Monday", body), "es": ("Audiencia el lunes", body)],
            audience: MailingAudience(),
            sendAt: Date().addingTimeInterval(Double(seconds))
        ),
        id: nil,
        by: UUID()
    )
    mailing.status = .scheduled
    try await mailing.update(on: store.database)
}
