import CommonsCore
import CommonsOrganizing
import CommonsStorage
import Logging
import ServiceLifecycle

/// The daily purge, run inside the server: a minute after start, then every 24 hours, until
/// graceful shutdown.
struct RetentionService: Service {
    let store: CommonsDatabase
    let policy: RetentionPolicy
    let clock: Clock
    let logger: Logger
    var firstRun: Duration = .seconds(60)
    var interval: Duration = .seconds(24 * 3600)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: firstRun)
            while !Task.isCancelled {
                do {
                    try await Self.purge(store: store, policy: policy, clock: clock, by: "daily job")
                } catch {
                    logger.error("the retention purge failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Purges; the domain writes the counts to the audit log. What `commons purge` runs too.
    @discardableResult
    static func purge(store: CommonsDatabase, policy: RetentionPolicy, clock: Clock, by source: String) async throws -> PurgeReport {
        try await Retention(database: store.database, clock: clock).purge(policy, by: .system(source))
    }
}

/// Deletes what has expired now, as `commons purge` does, and records it in the audit log.
public func purgeExpiredData(store: CommonsDatabase, settings: Settings) async throws -> PurgeReport {
    try await RetentionService.purge(store: store, policy: settings.retention, clock: .system, by: "command line")
}
