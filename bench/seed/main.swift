import CommonsDemo
import CommonsStorage
import CommonsWeb
import Foundation

// bench-seed POSTS SUPPORTERS: prepares the data folder `commons` would use (same environment:
// COMMONS_DATA_DIR, DATABASE_URL, COMMONS_DATA_KEY), with the demo content plus generated
// posts and supporters, for the benchmark. Not for a real site.
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
guard arguments.count == 2, arguments.allSatisfy({ $0 >= 0 }) else {
    FileHandle.standardError.write(Data("usage: bench-seed POSTS SUPPORTERS\n".utf8))
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
    await store.shutdown()
} catch {
    await store.shutdown()
    FileHandle.standardError.write(Data("bench-seed: \(error)\n".utf8))
    exit(1)
}
