import ServiceLifecycle

/// Keeps the data store open while the server runs and closes it after graceful shutdown,
/// once requests in flight have finished.
public struct DatabaseService: Service {
    public let store: CommonsDatabase

    public init(store: CommonsDatabase) {
        self.store = store
    }

    public func run() async throws {
        try? await gracefulShutdown()
        // A handler whose query was sent just before the server stopped gets a moment for the
        // answer: closing the pool under a query in flight leaves its promise unanswered.
        try? await Task.sleep(for: .milliseconds(500))
        await store.shutdown()
    }
}
