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
    /// The member organization whose website the form was embedded on, when its link named one.
    public var via: UUID?

    public init(
        person: Person,
        emailOptIn: Bool,
        smsOptIn: Bool,
        formToken: String,
        guests: Int = 0,
        language: String = "en",
        via: UUID? = nil
    ) {
        self.person = person
        self.emailOptIn = emailOptIn
        self.smsOptIn = smsOptIn
        self.formToken = formToken
        self.guests = guests
        self.language = language
        self.via = via
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

/// What follows a group of recorded actions, inside their transaction.
public typealias ActionFollowUp = @Sendable ([RecordedAction], any Database) async throws -> Void

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
    /// The person erased themselves; only their own new sign-up brings them back, not an import.
    case erased
}

/// Records what people do on the public forms: finds or creates the supporter (by email, else
/// phone), fills what the record lacks (never overwriting it), and records the action with the
/// values it came with, all or nothing, through the `ActionWriter` that commits concurrent
/// actions together (`ActionBatch` says how a group is written). The caller answers only after
/// it returns, so an acknowledged action is committed.
public struct ActionDesk: Sendable {
    public static let maximumGuests = 10

    let database: any Database
    let clock: Clock
    let writer: ActionWriter
    let vault: SupporterVault

    /// - Parameter writer: the process's one action writer (with its follow-up); pass the
    ///   shared one so concurrent actions commit together.
    public init(database: any Database, keys: DataKeys, clock: Clock, writer: ActionWriter? = nil) {
        self.database = database
        self.clock = clock
        self.writer = writer ?? ActionWriter(database: database, keys: keys)
        vault = SupporterVault(keys: keys)
    }

    /// Joins a sign-up or signs a petition.
    @discardableResult
    public func sign(_ campaign: Campaign, _ submission: ActionSubmission, addingTags extra: [String] = []) async throws -> ActionReceipt {
        guard campaign.status == .open else { throw ActionError.campaignClosed }
        let kind: Action.Kind = campaign.kind == .petition ? .petition : .signup
        return try await record(
            ActionRequest(
                submission,
                kind: kind,
                tags: campaign.tagList + extra,
                campaign: campaign,
                doubleOptIn: campaign.doubleOptIn,
                at: clock.now
            )
        )
    }

    /// Answers an event; beyond its capacity the person joins the waitlist.
    @discardableResult
    public func rsvp(_ event: Event, _ submission: ActionSubmission, addingTags extra: [String] = []) async throws -> ActionReceipt {
        guard event.status == .scheduled else { throw ActionError.eventCancelled }
        guard event.endsAt > clock.now else { throw ActionError.eventPast }
        guard (0...Self.maximumGuests).contains(submission.guests) else { throw ValidationErrors(field: "guests", message: "error.guests_invalid") }
        return try await record(ActionRequest(submission, kind: .rsvp, tags: extra, event: event, at: clock.now))
    }

    /// Adds a person to the list with no campaign: what a partner's tool sends through the
    /// API's sign-up helper. Found, filled and tagged exactly as a public form would.
    @discardableResult
    public func signUp(_ submission: ActionSubmission, tags: [String]) async throws -> ActionReceipt {
        let person = submission.person
        let hashes = (person.email.map(vault.emailIndexes) ?? []) + (person.phone.map(vault.phoneIndexes) ?? [])
        if !hashes.isEmpty, try await ErasedPerson.matching(hashes, on: database).first() != nil { throw ActionError.erased }
        return try await record(ActionRequest(submission, kind: .signup, tags: tags, at: clock.now))
    }

    private func record(_ request: ActionRequest) async throws -> ActionReceipt {
        do {
            return try await writer.write(request)
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            // The same form sent to two servers at once: the other one stored it.
            if let existing = try await Action.query(on: database).filter(\.$formToken == request.submission.formToken).first() {
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
}
