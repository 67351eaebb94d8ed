import Foundation

/// Counts recent requests per client in memory, so a flood from one address is slowed
/// without any address ever being written to the database or the logs.
actor RateLimiter {
    let limit: Int
    let window: Duration
    private var recent: [String: [ContinuousClock.Instant]] = [:]

    init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }

    /// Nil when the client may go ahead (and counts this request); otherwise how many whole
    /// seconds until it may try again.
    func check(_ client: String) -> Int? {
        guard limit > 0 else { return nil }
        let now = ContinuousClock.now
        var times = (recent[client] ?? []).filter { now - $0 < window }
        if times.count >= limit {
            recent[client] = times
            let wait = window - (now - times[0])
            return max(1, Int(wait.components.seconds) + 1)
        }
        times.append(now)
        recent[client] = times
        if recent.count > 10_000 { prune(now: now) }
        return nil
    }

    /// Seconds until the client may try again when it already reached the limit; nil otherwise.
    /// Counts nothing: for limits on failures, which `record` counts.
    func wait(_ client: String) -> Int? {
        guard limit > 0 else { return nil }
        let now = ContinuousClock.now
        let times = (recent[client] ?? []).filter { now - $0 < window }
        guard times.count >= limit else { return nil }
        return max(1, Int((window - (now - times[0])).components.seconds) + 1)
    }

    /// Counts one event (a failed sign-in) for the client.
    func record(_ client: String) {
        let now = ContinuousClock.now
        recent[client, default: []].append(now)
        recent[client] = recent[client]?.filter { now - $0 < window }
        if recent.count > 10_000 { prune(now: now) }
    }

    private func prune(now: ContinuousClock.Instant) {
        recent = recent.filter { _, times in times.contains { now - $0 < window } }
    }
}
