import CommonsCore
import FluentKit
import Foundation
import SQLKit

/// Writes a group of public actions inside one transaction with a few statements for the whole
/// group rather than several per action: one look-up of the forms already sent, one of the
/// supporters the forms name (by blind index), one of those supporters' tags, then one insert
/// per table (new supporters, actions, tags, changes) and the follow-up's own batch. Each
/// action is decided in order, exactly as if the group had been written one action at a time:
/// a person who appears twice is found the second time (made by the first, or filled by it),
/// a form sent twice is stored once, and seats are counted across the group.
struct ActionBatch: Sendable {
    let vault: SupporterVault
    let followUp: ActionFollowUp?

    /// Statements bind at most this many values from a list, under SQLite's 32,766 parameters.
    private static let listChunk = 500

    func write(_ requests: [ActionRequest], on db: any Database) async throws -> [ActionReceipt] {
        var state = try await State.load(for: requests, vault: vault, on: db)
        var receipts: [ActionReceipt] = []
        var recorded: [RecordedAction] = []
        for request in requests {
            if let sent = state.sent[request.submission.formToken] {
                // The same form sent again: the first one stored it.
                receipts.append(
                    ActionReceipt(
                        outcome: .alreadyRecorded(waitlisted: sent.waitlisted),
                        supporterID: sent.$supporter.id,
                        actionID: try sent.requireID(),
                        isNewSupporter: false
                    )
                )
                continue
            }
            let (supporter, isNew, pendingChange) = try state.supporter(for: request, vault: vault)
            let supporterID = try supporter.requireID()
            let action = try makeAction(request, supporterID: supporterID)
            action.waitlisted = try await state.waitlists(request, on: db)
            state.sent[action.formToken] = action
            state.actions.append(action)
            if isNew { state.changes.append(.init(.created, supporter: supporterID, at: request.at)) }
            if action.kind != .signup || action.$campaign.id != nil {
                state.changes.append(.init(.acted, supporter: supporterID, action: action.id, at: request.at))
            }
            for tag in request.tags where state.taggings.insert(Tagging(supporterID: supporterID, name: tag)).inserted {
                let label = SupporterTag()
                label.$supporter.id = supporterID
                label.name = tag
                state.tags.append(label)
            }
            recorded.append(
                RecordedAction(
                    action: action,
                    supporterID: supporterID,
                    person: request.submission.person,
                    language: request.submission.language,
                    campaign: request.campaign,
                    event: request.event,
                    pendingChange: pendingChange
                )
            )
            receipts.append(
                ActionReceipt(
                    outcome: .recorded(waitlisted: action.waitlisted),
                    supporterID: supporterID,
                    actionID: try action.requireID(),
                    isNewSupporter: isNew
                )
            )
        }
        try await state.save(on: db, at: requests[0].at)
        // Someone who erased themselves and now signs up again on a public form chose to come back.
        let returning = requests.filter { $0.campaign != nil || $0.event != nil }.map(\.submission.person).flatMap { person in
            (person.email.map(vault.emailIndexes) ?? []) + (person.phone.map(vault.phoneIndexes) ?? [])
        }
        for chunk in Set(returning).sorted().chunked(ActionBatch.listChunk / 2) { try await ErasedPerson.matching(chunk, on: db).delete() }
        if let followUp, !recorded.isEmpty { try await followUp(recorded, db) }
        return receipts
    }

    private func makeAction(_ request: ActionRequest, supporterID: UUID) throws -> Action {
        let submission = request.submission
        let action = Action()
        action.id = UUID.timeOrdered(at: request.at)
        action.$supporter.id = supporterID
        try vault.sealSubmission(submission.person, into: action)
        action.formToken = submission.formToken
        action.language = submission.language
        action.viaMemberID = submission.via
        action.kind = request.kind
        action.$campaign.id = try request.campaign?.requireID()
        action.$event.id = try request.event?.requireID()
        action.guests = request.event == nil ? 0 : submission.guests
        action.emailOptIn = submission.emailOptIn
        action.smsOptIn = submission.smsOptIn
        let consented = submission.emailOptIn || submission.smsOptIn
        action.consentVersion = consented ? ConsentText.version : nil
        action.consentedAt = consented ? request.at : nil
        action.createdAt = request.at
        return action
    }

    private struct Tagging: Hashable {
        let supporterID: UUID
        let name: String
    }

    /// What the group found in the database and what it will write, as it goes.
    private struct State {
        /// Actions by form id: those stored before and those of this group.
        var sent: [String: Action] = [:]
        /// Supporters by each blind index of their email and phone (every key version for those
        /// stored before, the current one for those made by this group).
        var byEmail: [String: Supporter] = [:]
        var byPhone: [String: Supporter] = [:]
        /// Supporters' values in the clear, opened once.
        var people: [UUID: Person] = [:]
        var created: [Supporter] = []
        var createdIDs: Set<UUID> = []
        var updated: [UUID: Supporter] = [:]
        var taggings: Set<Tagging> = []
        /// Seats taken per event with a capacity, counted once and then carried along.
        var seats: [UUID: Int] = [:]
        var actions: [Action] = []
        var tags: [SupporterTag] = []
        var changes: [SupporterChange] = []

        static func load(for requests: [ActionRequest], vault: SupporterVault, on db: any Database) async throws -> State {
            var state = State()
            let tokens = Set(requests.map(\.submission.formToken)).sorted()
            for chunk in tokens.chunked(ActionBatch.listChunk) {
                for action in try await Action.query(on: db).filter(\.$formToken ~~ chunk).all() { state.sent[action.formToken] = action }
            }
            let emails = Set(requests.compactMap(\.submission.person.email).flatMap(vault.emailIndexes)).sorted()
            for chunk in emails.chunked(ActionBatch.listChunk) {
                for supporter in try await Supporter.query(on: db).filter(\.$emailIndex ~~ chunk).all() {
                    if let index = supporter.emailIndex { state.byEmail[index] = supporter }
                }
            }
            let phones = Set(requests.compactMap(\.submission.person.phone).flatMap(vault.phoneIndexes)).sorted()
            for chunk in phones.chunked(ActionBatch.listChunk) {
                for supporter in try await Supporter.query(on: db).filter(\.$phoneIndex ~~ chunk).all() {
                    if let index = supporter.phoneIndex, state.byPhone[index] == nil { state.byPhone[index] = supporter }
                }
            }
            let known = Set(state.byEmail.values.compactMap(\.id)).union(state.byPhone.values.compactMap(\.id)).sorted {
                $0.uuidString < $1.uuidString
            }
            let names = Set(requests.flatMap(\.tags)).sorted()
            if !names.isEmpty {
                for chunk in known.chunked(ActionBatch.listChunk) {
                    let rows = try await SupporterTag.query(on: db).filter(\.$supporter.$id ~~ chunk).filter(\.$name ~~ names).all()
                    for row in rows { state.taggings.insert(Tagging(supporterID: row.$supporter.id, name: row.name)) }
                }
            }
            return state
        }

        /// The supporter a request is about (by email, else phone, as `SupporterVault.find`
        /// looks), whether it is made now, and what waits for the person's own confirmation.
        mutating func supporter(for request: ActionRequest, vault: SupporterVault) throws -> (Supporter, isNew: Bool, PendingChange?) {
            let submission = request.submission
            let person = submission.person
            if let supporter = find(person, vault: vault) {
                // Nobody proved who sent this form: it may fill the record's empty fields, never
                // replace a value, never add or change the email or phone, and never turn a
                // stored "no" into "yes" (the action keeps the wish; an unchecked box never takes
                // back a "yes" either). The person confirms the rest from the address on file;
                // staff also see the submitted values beside the record and can apply them.
                let id = try supporter.requireID()
                let stored = try people[id] ?? vault.open(supporter)
                let filled = person.filling(stored)
                if filled != stored { try vault.seal(filled, into: supporter) }
                people[id] = filled
                supporter.lastActionAt = request.at
                if !createdIDs.contains(id) { updated[id] = supporter }
                let fields = person.changesAsked(of: stored)
                let optIn = submission.emailOptIn && !supporter.emailOptIn
                guard let address = stored.email, optIn || !fields.isEmpty else { return (supporter, false, nil) }
                return (supporter, false, PendingChange(fields: fields, emailOptIn: optIn, address: address))
            }
            let supporter = Supporter()
            let id = vault.newSupporterID(at: request.at)
            supporter.id = id
            try vault.seal(person, into: supporter)
            let confirmFirst = request.doubleOptIn && submission.emailOptIn && person.email != nil
            supporter.emailOptIn = submission.emailOptIn && !confirmFirst
            supporter.smsOptIn = submission.smsOptIn
            supporter.lastActionAt = request.at
            created.append(supporter)
            createdIDs.insert(id)
            people[id] = person
            if let index = supporter.emailIndex { byEmail[index] = supporter }
            if let index = supporter.phoneIndex, byPhone[index] == nil { byPhone[index] = supporter }
            let pending = confirmFirst ? person.email.map { PendingChange(fields: [], emailOptIn: true, address: $0) } : nil
            return (supporter, true, pending)
        }

        private func find(_ person: Person, vault: SupporterVault) -> Supporter? {
            if let email = person.email, let found = vault.emailIndexes(email).lazy.compactMap({ byEmail[$0] }).first { return found }
            if let phone = person.phone, let found = vault.phoneIndexes(phone).lazy.compactMap({ byPhone[$0] }).first { return found }
            return nil
        }

        /// Whether an RSVP goes on the waitlist: seats are counted inside the transaction (on
        /// PostgreSQL with the event's row locked, so two servers cannot both give the last
        /// seat), once per event and group, then carried from one answer to the next.
        mutating func waitlists(_ request: ActionRequest, on db: any Database) async throws -> Bool {
            guard let event = request.event, let capacity = event.capacity else { return false }
            let eventID = try event.requireID()
            let taken: Int
            if let counted = seats[eventID] {
                taken = counted
            } else {
                let sql = db as! any SQLDatabase
                if sql.dialect.name == "postgresql" {
                    _ = try await sql.raw("SELECT id FROM events WHERE id = \(bind: eventID) FOR UPDATE").all()
                }
                taken = try await Action.query(on: db).filter(\.$event.$id == eventID).filter(\.$waitlisted == false).all(\.$guests)
                    .reduce(0) { $0 + 1 + $1 }
            }
            let seats = 1 + request.submission.guests
            let waitlisted = taken + seats > capacity
            self.seats[eventID] = waitlisted ? taken : taken + seats
            return waitlisted
        }

        /// One insert per table (in pieces under the parameter limit) and one update per
        /// supporter stored before who acted again.
        func save(on db: any Database, at now: Date) async throws {
            for chunk in created.chunked(ActionBatch.listChunk / 5) { try await chunk.insert(on: db, at: now) }
            for supporter in updated.values { try await supporter.update(on: db) }
            for chunk in actions.chunked(ActionBatch.listChunk / 5) { try await chunk.insert(on: db, at: now) }
            for chunk in tags.chunked(ActionBatch.listChunk) { try await chunk.insert(on: db, at: now) }
            for chunk in changes.chunked(ActionBatch.listChunk) { try await chunk.insert(on: db, at: now) }
        }
    }
}
