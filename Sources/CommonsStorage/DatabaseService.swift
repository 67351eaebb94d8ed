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
        await store.shutdown()
    }
}
