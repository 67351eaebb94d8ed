import Foundation

/// How long to wait before trying a delivery again (mail to a relay, a webhook to a partner):
/// 1, 5, 25 minutes and so on, at most 2 hours apart, until `retryFor` after it was queued.
public enum RetrySchedule {
    /// A delivery that has failed for this long is given up.
    public static let retryFor: TimeInterval = 3 * 24 * 3600

    /// The wait after the `attempts`-th failed attempt (1 for the first).
    public static func delay(afterAttempt attempts: Int) -> TimeInterval {
        min(60 * pow(5, Double(max(1, min(attempts, 10)) - 1)), 7200)
    }

    /// When to try next, or nil when the delivery queued at `queuedAt` should be given up.
    public static func next(afterAttempt attempts: Int, queuedAt: Date, now: Date) -> Date? {
        let next = now.addingTimeInterval(delay(afterAttempt: attempts))
        return next > queuedAt.addingTimeInterval(retryFor) ? nil : next
    }
}
