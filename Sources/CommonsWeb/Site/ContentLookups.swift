import Synchronization

/// Records a public POST needs before it can be written (the campaign a sign-up form names),
/// kept between requests while the database's content version stands, so a crowd signing one
/// campaign costs one look-up rather than one each. They are exactly as fresh as the page cache's
/// pages: every write to a public table moves the version, which is read at most once per
/// `PageCache.checkInterval` (at once after a change made through this server). Only found records
/// are kept, so requests for names that do not exist cannot fill it.
final class ContentLookups: Sendable {
    private struct State {
        var version: Int64?
        var values: [String: any Sendable] = [:]
    }

    private let state = Mutex(State())

    /// The value kept for `key` under `version`, else what `load` finds (kept when not nil).
    func value<Value: Sendable>(_ key: String, version: Int64, load: () async throws -> Value?) async throws -> Value? {
        let kept = state.withLock { state -> Value? in
            if state.version != version {
                state.version = version
                state.values.removeAll()
            }
            return state.values[key] as? Value
        }
        if let kept { return kept }
        guard let found = try await load() else { return nil }
        state.withLock { state in
            if state.version == version { state.values[key] = found }
        }
        return found
    }
}
