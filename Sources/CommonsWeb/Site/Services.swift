import CommonsCore

/// The outside effects the site depends on, built once at start-up and replaced in tests.
public struct Services: Sendable {
    public var clock: Clock

    public init(clock: Clock = .system) {
        self.clock = clock
    }

    public static let live = Services()
}
