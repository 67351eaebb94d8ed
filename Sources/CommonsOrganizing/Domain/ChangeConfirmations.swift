import CommonsAudit
import CommonsCore
import CommonsPrivacy
import FluentKit
import Foundation

/// The person's own confirmation of what a public form asked to change on their record (see
/// `PendingChange`). The link in the message to the address on file carries a signed token
/// naming the action and when the link stops working; following it shows one button, and only
/// the POST from that button applies the change: the action's submitted values over the
/// stored ones, and its "yes" to email news with the consent text version the person saw.
public struct ChangeConfirmations: Sendable {
    public static let validFor: TimeInterval = 7 * 24 * 3600

    /// What a link leads to.
    public enum Link: Sendable, Equatable {
        /// Waiting for the button: the fields it would change and whether it turns email news on.
        case waiting(fields: [PersonField], emailOptIn: Bool)
        /// Already confirmed: following the link again changes nothing.
        case confirmed
        /// Older than `validFor`.
        case expired
        /// Not a link this site made, or its supporter or action is gone.
        case invalid
    }

    let database: any Database
    let vault: SupporterVault
    let signer: SignedValue
    static let purpose = "change-confirmation"
    let clock: Clock

    public init(database: any Database, keys: DataKeys, clock: Clock) {
        self.database = database
        self.vault = SupporterVault(keys: keys)
        self.signer = SignedValue(keys: keys, purpose: Self.purpose)
        self.clock = clock
    }

    /// The token for the link, valid for `validFor` from `now`.
    public static func token(for actionID: UUID, keys: DataKeys, now: Date) -> String {
        SignedValue(keys: keys, purpose: purpose).sign(
            actionID.uuidString.lowercased() + "." + String(Int(now.addingTimeInterval(validFor).timeIntervalSince1970))
        )
    }

    /// What the link leads to now; changes nothing.
    public func look(_ token: String) async throws -> Link {
        try await resolve(token, on: database).link
    }

    /// Applies what the link stands for, once, all or nothing, and answers what it led to
    /// (`.confirmed` when applied now or before). Throws `ValidationErrors` when the submitted
    /// email has since been given to another supporter.
    public func confirm(_ token: String) async throws -> Link {
        try await database.transaction { db in
            let found = try await resolve(token, on: db)
            guard case .waiting(let fields, let optIn) = found.link, let action = found.action, let supporter = found.supporter else {
                return found.link
            }
            let submitted = try vault.submission(of: action) ?? Person()
            // Only the fields the person was asked about: a value filled in since stays.
            var change = Person()
            for field in fields { change.set(field, submitted.value(field)) }
            _ = try await SupporterDirectory.apply(change, to: supporter, vault: vault, on: db)
            if optIn {
                supporter.emailOptIn = true
                try await supporter.update(on: db)
            }
            let now = clock.now
            action.confirmedAt = now
            if optIn, action.consentedAt == nil {
                action.consentVersion = ConsentText.version
                action.consentedAt = now
            }
            try await action.update(on: db)
            try await SupporterChange.record(.updated, supporter: try supporter.requireID(), at: now, on: db)
            try await AuditLog(database: db).record(
                "supporter.change_confirmed",
                by: .system("the person, from the link sent to their address"),
                subjectType: "supporter",
                subjectID: try supporter.requireID().uuidString,
                detail: "action=\(try action.requireID().uuidString.lowercased()) fields=\(fields.map(\.rawValue).joined(separator: ","))"
                    + (optIn ? " email_opt_in=yes consent=\(action.consentVersion ?? ConsentText.version)" : ""),
                at: now
            )
            return .confirmed
        }
    }

    private func resolve(_ token: String, on db: any Database) async throws -> (link: Link, action: Action?, supporter: Supporter?) {
        guard let payload = signer.verify(token) else { return (.invalid, nil, nil) }
        let parts = payload.split(separator: ".")
        guard parts.count == 2, let actionID = UUID(uuidString: String(parts[0])), let expires = Int(parts[1]) else { return (.invalid, nil, nil) }
        guard let action = try await Action.find(actionID, on: db), let supporter = try await Supporter.find(action.$supporter.id, on: db) else {
            return (.invalid, nil, nil)
        }
        if action.confirmedAt != nil { return (.confirmed, action, supporter) }
        guard Double(expires) >= clock.now.timeIntervalSince1970 else { return (.expired, action, supporter) }
        let stored = try vault.open(supporter)
        let submitted = try vault.submission(of: action) ?? Person()
        let fields = submitted.changesAsked(of: stored)
        let optIn = action.emailOptIn && !supporter.emailOptIn
        // Nothing left to change (staff applied it, or the person said yes elsewhere meanwhile).
        if fields.isEmpty && !optIn { return (.confirmed, action, supporter) }
        return (.waiting(fields: fields, emailOptIn: optIn), action, supporter)
    }
}
