import CommonsCore
import FluentKit
import Foundation

/// Whether a supporter gets the coalition's mailings. Stopping is immediate, needs no sign-in,
/// and is recorded as an action on the person's record like anything else they did.
public struct Subscriptions: Sendable {
    public enum Reason: Sendable {
        /// The person pressed "unsubscribe".
        case requested
        /// Their mail server refused the address for good.
        case bounced
    }

    let clock: Clock

    public init(clock: Clock) {
        self.clock = clock
    }

    /// Turns email news off for the supporter; answers false when there is no such supporter.
    /// Stopping twice records one action only.
    @discardableResult
    public func stop(_ supporterID: UUID, reason: Reason, on database: any Database) async throws -> Bool {
        try await database.transaction { db in
            guard let supporter = try await Supporter.find(supporterID, on: db) else { return false }
            guard supporter.emailOptIn else { return true }
            supporter.emailOptIn = false
            try await supporter.update(on: db)
            let action = Action()
            action.id = UUID.random()
            action.$supporter.id = supporterID
            action.kind = reason == .requested ? .unsubscribe : .bounce
            action.formToken = "\(action.kind.rawValue):\(action.id!.uuidString.lowercased())"
            action.emailOptIn = false
            action.smsOptIn = supporter.smsOptIn
            action.guests = 0
            action.waitlisted = false
            action.createdAt = clock.now
            try await action.create(on: db)
            try await SupporterChange.record(.unsubscribed, supporter: supporterID, action: action.id, at: clock.now, on: db)
            return true
        }
    }
}
