import CommonsCore
import CommonsPrivacy
import FluentKit
import Foundation
import SQLKit

/// A checked submission of a public form.
public struct ActionSubmission: Sendable {
    public var person: Person
    public var emailOptIn: Bool
    public var smsOptIn: Bool
    /// The one-time id of the form that was shown.
    public var formToken: String
    /// People coming along, for an RSVP.
    public var guests: Int
    /// The language of the page the form was on: what follows (a confirmation) is written in it.
    public var language: String

    public init(person: Person, emailOptIn: Bool, smsOptIn: Bool, formToken: String, guests: Int = 0, language: String = "en") {
        self.person = person
        self.emailOptIn = emailOptIn
        self.smsOptIn = smsOptIn
        self.formToken = formToken
        self.guests = guests
        self.language = language
    }
}

/// What a public form asked of a record that only the person may confirm, from the address on
/// file: a "yes" to email news the record does not have (any new "yes" on a campaign with
/// double opt-in), or a name or contact detail that differs from the stored one. The record
/// stays as it is until they do (see `ChangeConfirmations`).
public struct PendingChange: Sendable, Equatable {
    /// The stored values the form would replace (empty ones it fills at once).
    public let fields: [PersonField]
    public let emailOptIn: Bool
    /// The address on file: the confirmation goes there, not to whoever sent the form.
    public let address: String
}

/// An action just written, handed to what follows it inside the same transaction (the
/// confirmation email is queued there, so it commits with the action or not at all).
public struct RecordedAction: Sendable {
    public let action: Action
    public let supporterID: UUID
    /// The person as the form described them (the address the confirmation goes to).
    public let person: Person
    public let language: String
    public let campaign: Campaign?
    public let event: Event?
    /// What waits for the person's confirmation, if anything.
    public let pendingChange: PendingChange?
}

/// What follows a recorded action, inside its transaction.
public typealias ActionFollowUp = @Sendable (RecordedAction, any Database) async throws -> Void

/// What became of a submission.
public enum ActionOutcome: Sendable, Equatable {
    /// Stored now.
    case recorded(waitlisted: Bool)
    /// This form was already sent; nothing new was stored.
    case alreadyRecorded(waitlisted: Bool)
}

/// What a submission became, with the record it went to.
public struct ActionReceipt: Sendable, Equatable {
    public let outcome: ActionOutcome
    public let supporterID: UUID
    public let actionID: UUID
    /// The submission made a new supporter (it did not match one by email or phone).
    public let isNewSupporter: Bool

    public init(outcome: ActionOutcome, supporterID: UUID, actionID: UUID, isNewSupporter: Bool) {
        self.outcome = outcome
        self.supporterID = supporterID
        self.actionID = actionID
        self.isNewSupporter = isNewSupporter
    }
}

public enum ActionError: Error, Equatable {
    /// The campaign no longer takes sign-ups.
    case campaignClosed
    /// The event was cancelled.
    case eventCancelled
    /// The event is over.
    case eventPast
}

/// Records what people do on the public forms: finds or creates the supporter (by email, else
/// phone), fills what the record lacks (never overwriting it: see `upsertSupporter`), and
/// records the action with the values it came with, all or nothing, through the
/// `ActionWriter` that commits concurrent actions together. The caller answers only after it
/// returns, so an acknowledged action is committed.
public struct ActionDesk: Sendable {
    public static let maximumGuests = 10

    let database: any Database
    let vault: SupporterVault
    let clock: Clock
    let writer: ActionWriter
    let followUp: ActionFollowUp?

    /// - Parameters:
    ///   - writer: the process's one action writer; pass the shared one so concurrent actions
    ///     commit together.
    ///   - followUp: run after each new action in its transaction (not for a form sent twice).
    public init(database: any Database, keys: DataKeys, clock: Clock, writer: ActionWriter? = nil, followUp: ActionFollowUp? = nil) {
        self.database = database
        self.vault = SupporterVault(keys: keys)
        self.clock = clock
        self.writer = writer ?? ActionWriter(database: database)
        self.followUp = followUp
    }

    /// Joins a sign-up or signs a petition.
    @discardableResult
    public func sign(_ campaign: Campaign, _ submission: ActionSubmission, addingTags extra: [String] = []) async throws -> ActionReceipt {
        guard campaign.status == .open else { throw ActionError.campaignClosed }
        let campaignID = try campaign.requireID()
        let kind: Action.Kind = campaign.kind == .petition ? .petition : .signup
        return try await record(submission, tags: campaign.tagList + extra, campaign: campaign, doubleOptIn: campaign.doubleOptIn) { action, _ in
            action.$campaign.id = campaignID
            action.kind = kind
            return false
        }
    }

    /// Answers an event; beyond its capacity the person joins the waitlist.
    @discardableResult
    public func rsvp(_ event: Event, _ submission: ActionSubmission, addingTags extra: [String] = []) async throws -> ActionReceipt {
        guard event.status == .scheduled else { throw ActionError.eventCancelled }
        guard event.endsAt > clock.now else { throw ActionError.eventPast }
        guard (0...Self.maximumGuests).contains(submission.guests) else { throw ValidationErrors(field: "guests", message: "error.guests_invalid") }
        let eventID = try event.requireID()
        let capacity = event.capacity
        return try await record(submission, tags: extra, event: event) { action, db in
            action.$event.id = eventID
            action.kind = .rsvp
            action.guests = submission.guests
            guard let capacity else { return false }
            // Seats are counted inside the transaction; PostgreSQL also locks the event row so
            // two RSVPs for the last seat cannot both get it.
            let sql = db as! any SQLDatabase
            if sql.dialect.name == "postgresql" {
                _ = try await sql.raw("SELECT id FROM events WHERE id = \(bind: eventID) FOR UPDATE").all()
            }
            let taken = try await Action.query(on: db).filter(\.$event.$id == eventID).filter(\.$waitlisted == false).all(\.$guests)
                .reduce(0) { $0 + 1 + $1 }
            return taken + 1 + submission.guests > capacity
        }
    }

    /// Adds a person to the list with no campaign: what a partner's tool sends through the
    /// API's sign-up helper. Found, filled and tagged exactly as a public form would.
    @discardableResult
    public func signUp(_ submission: ActionSubmission, tags: [String]) async throws -> ActionReceipt {
        try await record(submission, tags: tags) { action, _ in
            action.kind = .signup
            return false
        }
    }

    /// The shared path of every action. `configure` fills in what kind of action it is and
    /// answers whether it goes on a waitlist.
    private func record(
        _ submission: ActionSubmission,
        tags: [String],
        campaign: Campaign? = nil,
        event: Event? = nil,
        doubleOptIn: Bool = false,
        configure: @escaping @Sendable (Action, any Database) async throws -> Bool
    ) async throws -> ActionReceipt {
        let now = clock.now
        do {
            // A form sent again meets the unique form id; the catch below answers as the first time.
            return try await writer.write { [vault, followUp] db in
                let (supporter, isNew, pendingChange) = try await Self.upsertSupporter(
                    submission,
                    doubleOptIn: doubleOptIn,
                    vault: vault,
                    now: now,
                    on: db
                )
                let action = Action()
                action.id = UUID()
                action.$supporter.id = try supporter.requireID()
                try vault.sealSubmission(submission.person, into: action)
                action.formToken = submission.formToken
                action.language = submission.language
                action.emailOptIn = submission.emailOptIn
                action.smsOptIn = submission.smsOptIn
                let consented = submission.emailOptIn || submission.smsOptIn
                action.consentVersion = consented ? ConsentText.version : nil
                action.consentedAt = consented ? now : nil
                action.guests = 0
                action.createdAt = now
                action.waitlisted = try await configure(action, db)
                try await action.create(on: db)
                let supporterID = try supporter.requireID()
                if isNew { try await SupporterChange.record(.created, supporter: supporterID, at: now, on: db) }
                if action.kind != .signup || action.$campaign.id != nil {
                    try await SupporterChange.record(.acted, supporter: supporterID, action: action.id, at: now, on: db)
                }
                var seen = Set<String>()
                for tag in tags where seen.insert(tag).inserted {
                    // A supporter made just now has no tags yet.
                    var exists = false
                    if !isNew {
                        exists =
                            try await SupporterTag.query(on: db).filter(\.$supporter.$id == supporter.requireID()).filter(\.$name == tag).count() > 0
                    }
                    if !exists {
                        let label = SupporterTag()
                        label.$supporter.id = try supporter.requireID()
                        label.name = tag
                        try await label.create(on: db)
                    }
                }
                if let followUp {
                    let recorded = RecordedAction(
                        action: action,
                        supporterID: try supporter.requireID(),
                        person: submission.person,
                        language: submission.language,
                        campaign: campaign,
                        event: event,
                        pendingChange: pendingChange
                    )
                    try await followUp(recorded, db)
                }
                return ActionReceipt(
                    outcome: .recorded(waitlisted: action.waitlisted),
                    supporterID: try supporter.requireID(),
                    actionID: try action.requireID(),
                    isNewSupporter: isNew
                )
            }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The same form sent twice: the first one stored it.
            if let existing = try await Action.query(on: database).filter(\.$formToken == submission.formToken).first() {
                return ActionReceipt(
                    outcome: .alreadyRecorded(waitlisted: existing.waitlisted),
                    supporterID: existing.$supporter.id,
                    actionID: try existing.requireID(),
                    isNewSupporter: false
                )
            }
            throw error
        }
    }

    /// The supporter this submission is about, whether it was made just now, and what waits
    /// for the person's own confirmation.
    private static func upsertSupporter(
        _ submission: ActionSubmission,
        doubleOptIn: Bool,
        vault: SupporterVault,
        now: Date,
        on db: any Database
    ) async throws -> (Supporter, isNew: Bool, PendingChange?) {
        let person = submission.person
        if let supporter = try await vault.find(email: person.email, phone: person.phone, on: db) {
            // Nobody proved who sent this form: it may fill the record's empty fields, never
            // replace a value, never add or change the email or phone, and never turn a stored
            // "no" into "yes" (the action keeps the wish; an unchecked box never takes back a
            // "yes" either). The person confirms the rest from the address on file; staff also
            // see the submitted values beside the record and can apply them.
            let stored = try vault.open(supporter)
            try vault.seal(person.filling(stored), into: supporter)
            supporter.lastActionAt = now
            try await supporter.update(on: db)
            let fields = person.changesAsked(of: stored)
            let optIn = submission.emailOptIn && !supporter.emailOptIn
            guard let address = stored.email, optIn || !fields.isEmpty else { return (supporter, false, nil) }
            return (supporter, false, PendingChange(fields: fields, emailOptIn: optIn, address: address))
        }
        let supporter = Supporter()
        supporter.id = UUID()
        try vault.seal(person, into: supporter)
        let confirmFirst = doubleOptIn && submission.emailOptIn && person.email != nil
        supporter.emailOptIn = submission.emailOptIn && !confirmFirst
        supporter.smsOptIn = submission.smsOptIn
        supporter.lastActionAt = now
        try await supporter.create(on: db)
        let pending = confirmFirst ? person.email.map { PendingChange(fields: [], emailOptIn: true, address: $0) } : nil
        return (supporter, true, pending)
    }
}
