import CommonsAudit
import CommonsCore
import CommonsPrivacy
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// What an organizer narrows the supporter list to.
public struct SupporterFilter: Sendable, Equatable {
    /// A name, an email or a phone number. Emails and phones are matched exactly through the
    /// blind index; names are matched by decrypting each candidate's name in memory.
    public var query: String = ""
    public var campaignID: UUID?
    public var eventID: UUID?
    public var tag: String?
    public var language: String?
    public var role: String?
    /// True: only people who agreed to email.
    public var emailOptIn: Bool = false
    /// Took an action on or after this day.
    public var from: Date?
    /// Took an action before this instant.
    public var until: Date?

    public init() {}

    /// A plain description for the audit log: which filters were set, never what was searched for.
    public var auditDescription: String {
        var parts: [String] = []
        if !query.isEmpty { parts.append("search") }
        if let campaignID { parts.append("campaign=\(campaignID.uuidString.lowercased())") }
        if let eventID { parts.append("event=\(eventID.uuidString.lowercased())") }
        if tag != nil { parts.append("tag") }
        if let language { parts.append("language=\(language)") }
        if let role { parts.append("role=\(role)") }
        if emailOptIn { parts.append("email_opt_in") }
        if from != nil || until != nil { parts.append("date_range") }
        return parts.isEmpty ? "all" : parts.joined(separator: " ")
    }
}

/// A supporter with their details opened.
public struct SupporterRecord: Sendable {
    public let supporter: Supporter
    public let person: Person
    public let tags: [String]
}

/// One of a supporter's actions, as staff see it.
public struct ActionLine: Sendable {
    public let action: Action
    public let title: String
    /// What the form said where it differs from the record (empty when it agrees, or for
    /// actions stored before submissions were kept).
    public var differing: [(field: PersonField, value: String)] = []
}

/// The supporter list organizers work with. Every look at it opens encrypted values and every
/// change touches a person's record, so each one writes its line in the audit log itself: a
/// change and its line commit together, and a look is recorded before anything is shown.
public struct SupporterDirectory: Sendable {
    public static let perPage = 50

    let database: any Database
    let vault: SupporterVault
    let clock: Clock

    public init(database: any Database, keys: DataKeys, clock: Clock) {
        self.database = database
        self.vault = SupporterVault(keys: keys)
        self.clock = clock
    }

    /// Every supporter matching the filter, newest action first, handed to `write` a batch at a
    /// time (the staff area streams each batch as it comes). The export is recorded (who, the
    /// filter, how many rows) before the first row is handed over; answers how many were written.
    ///
    /// The matching supporters are still read and opened together: paging them by their last
    /// action (keyset) lost or repeated rows of the same moment on SQLite, whose dates do not
    /// come back exactly as bound, so holding one batch at a time waits for a sound cursor (#20).
    @discardableResult
    public func export(
        _ filter: SupporterFilter,
        by actor: AuditActor,
        batchSize: Int = 500,
        _ write: ([SupporterRecord]) async throws -> Void
    ) async throws -> Int {
        let records = try await matching(filter)
        try await AuditLog(database: database).record(
            "supporters.exported",
            by: actor,
            detail: "filter=\(filter.auditDescription) rows=\(records.count)",
            at: clock.now
        )
        for start in stride(from: 0, to: records.count, by: batchSize) {
            try await write(Array(records[start..<min(start + batchSize, records.count)]))
        }
        return records.count
    }

    /// The supporters the filter's columns select (not yet the name search), newest action
    /// first. Campaign, event, date and tag filters are subqueries in the same statement, so a
    /// campaign of 40,000 binds one id, not 40,000 (SQLite takes at most 32,766 parameters).
    func filtered(_ filter: SupporterFilter) -> QueryBuilder<Supporter> {
        let query = Supporter.query(on: database)
        let supporterID: SQLQueryString = "\(ident: Supporter.schema).\(ident: "id")"
        var actionConditions: [SQLQueryString] = []
        if let campaignID = filter.campaignID { actionConditions.append("\(ident: "campaign_id") = \(bind: campaignID)") }
        if let eventID = filter.eventID { actionConditions.append("\(ident: "event_id") = \(bind: eventID)") }
        if let from = filter.from { actionConditions.append("\(ident: "created_at") >= \(bind: from)") }
        if let until = filter.until { actionConditions.append("\(ident: "created_at") < \(bind: until)") }
        if !actionConditions.isEmpty {
            let conditions = actionConditions.joined(separator: " AND ")
            query.filter(.sql(embed: "\(supporterID) IN (SELECT \(ident: "supporter_id") FROM \(ident: Action.schema) WHERE \(conditions))"))
        }
        if let tag = filter.tag, !tag.isEmpty {
            query.filter(
                .sql(
                    embed:
                        "\(supporterID) IN (SELECT \(ident: "supporter_id") FROM \(ident: SupporterTag.schema) WHERE \(ident: "name") = \(bind: tag))"
                )
            )
        }
        if let language = filter.language, !language.isEmpty { query.filter(\.$preferredLanguage == language) }
        if let role = filter.role, !role.isEmpty { query.filter(\.$role == role) }
        if filter.emailOptIn { query.filter(\.$emailOptIn == true) }
        let text = Normalization.text(filter.query)
        if text.contains("@") {
            query.filter(\.$emailIndex ~~ vault.emailIndexes(Normalization.email(text)))
        } else if let phone = Normalization.phone(text) {
            query.filter(\.$phoneIndex ~~ vault.phoneIndexes(phone))
        }
        return query.sort(\.$lastActionAt, .descending).sort(\.$id)
    }

    /// Whether the filter searches names, which are sealed: matching them means opening each
    /// candidate (emails and phones are found by blind index instead).
    static func searchesNames(_ filter: SupporterFilter) -> Bool {
        let text = Normalization.text(filter.query)
        return !text.isEmpty && !text.contains("@") && Normalization.phone(text) == nil
    }

    /// Every supporter matching the filter, newest action first.
    func matching(_ filter: SupporterFilter) async throws -> [SupporterRecord] {
        let supporters = try await filtered(filter).all()
        return try await records(supporters, namesMatching: Self.searchesNames(filter) ? Normalization.text(filter.query) : nil)
    }

    /// Opens the supporters (keeping only those whose name contains `name`, when given) with their tags.
    private func records(_ supporters: [Supporter], namesMatching name: String?) async throws -> [SupporterRecord] {
        var opened: [(Supporter, Person)] = []
        for supporter in supporters {
            let person = try vault.open(supporter)
            if let name {
                let full = [person.givenName, person.familyName].compactMap { $0 }.joined(separator: " ")
                guard full.range(of: name, options: [.caseInsensitive, .diacriticInsensitive]) != nil else { continue }
            }
            opened.append((supporter, person))
        }
        let tagsBySupporter = try await tags(for: opened.compactMap { $0.0.id })
        return opened.map { SupporterRecord(supporter: $0.0, person: $0.1, tags: tagsBySupporter[$0.0.id!] ?? []) }
    }

    /// One page of the matching supporters, recorded with the filter and how many rows were shown.
    /// Without a name search, the database counts and pages, and only the page's 50 are opened.
    public func page(
        _ filter: SupporterFilter,
        page: Int,
        by actor: AuditActor
    ) async throws -> (records: [SupporterRecord], total: Int, pageCount: Int) {
        let shown: [SupporterRecord]
        let total: Int
        let pageCount: Int
        if Self.searchesNames(filter) {
            let all = try await matching(filter)
            total = all.count
            pageCount = max(1, (total + Self.perPage - 1) / Self.perPage)
            let start = (max(1, min(page, pageCount)) - 1) * Self.perPage
            shown = Array(all.dropFirst(start).prefix(Self.perPage))
        } else {
            total = try await filtered(filter).count()
            pageCount = max(1, (total + Self.perPage - 1) / Self.perPage)
            let start = (max(1, min(page, pageCount)) - 1) * Self.perPage
            shown = try await records(try await filtered(filter).range(start..<(start + Self.perPage)).all(), namesMatching: nil)
        }
        try await AuditLog(database: database).record(
            "supporters.listed",
            by: actor,
            detail: "filter=\(filter.auditDescription) rows=\(shown.count)",
            at: clock.now
        )
        return (shown, total, pageCount)
    }

    /// Whether a supporter exists; opens nothing, so records nothing.
    public func exists(_ id: UUID) async throws -> Bool {
        try await Supporter.find(id, on: database) != nil
    }

    /// A supporter with every action they took, newest first; the look is recorded.
    public func detail(_ id: UUID, by actor: AuditActor) async throws -> (record: SupporterRecord, actions: [ActionLine])? {
        guard let supporter = try await Supporter.find(id, on: database) else { return nil }
        try await record("supporter.viewed", id, by: actor)
        let actions = try await Action.query(on: database).filter(\.$supporter.$id == id).with(\.$campaign).with(\.$event).sort(
            \.$createdAt,
            .descending
        ).all()
        let person = try vault.open(supporter)
        let lines = try actions.map { action in
            var line = ActionLine(action: action, title: action.campaign?.title ?? action.event?.title ?? "")
            if let submitted = try vault.submission(of: action) {
                line.differing = submitted.differences(from: person).map { ($0, submitted.value($0) ?? "") }
            }
            return line
        }
        let record = SupporterRecord(supporter: supporter, person: person, tags: try await tags(for: [id])[id] ?? [])
        return (record, lines)
    }

    /// Staff apply what an action's form said to the supporter's record, by hand: every value
    /// the form gave replaces the stored one (opt-ins excepted: only the person can give consent).
    /// Throws `SupporterError.notFound`, or `ValidationErrors` when the email belongs to another supporter.
    /// Recorded with the action and the fields that changed.
    @discardableResult
    public func applySubmission(_ actionID: UUID, to supporterID: UUID, by actor: AuditActor) async throws -> [PersonField] {
        try await database.transaction { db in
            guard let supporter = try await Supporter.find(supporterID, on: db),
                let action = try await Action.find(actionID, on: db), action.$supporter.id == supporterID,
                let submitted = try vault.submission(of: action)
            else { throw SupporterError.notFound }
            let changed = try await Self.apply(submitted, to: supporter, vault: vault, on: db)
            let detail = "action=\(actionID.uuidString.lowercased()) fields=\(changed.map(\.rawValue).joined(separator: ","))"
            try await record("supporter.submission_applied", supporterID, by: actor, detail: detail, on: db)
            try await SupporterChange.record(.updated, supporter: supporterID, at: clock.now, on: db)
            return changed
        }
    }

    /// Writes a submission's non-empty values over the stored record and answers the fields that
    /// changed; throws `ValidationErrors` when its email belongs to another supporter.
    static func apply(_ submitted: Person, to supporter: Supporter, vault: SupporterVault, on db: any Database) async throws -> [PersonField] {
        let stored = try vault.open(supporter)
        let changed = submitted.differences(from: stored)
        if let email = submitted.email, email != stored.email, let other = try await vault.supporter(withEmail: email, on: db),
            other.id != supporter.id
        {
            throw ValidationErrors(field: "email", message: "error.email_taken")
        }
        try vault.seal(submitted.merged(over: stored), into: supporter)
        try await supporter.update(on: db)
        return changed
    }

    /// Replaces a supporter's details with what staff entered (checked like the public form).
    public func edit(_ id: UUID, to person: Person, by actor: AuditActor) async throws {
        try await database.transaction { db in
            guard let supporter = try await Supporter.find(id, on: db) else { throw SupporterError.notFound }
            if let email = person.email, let other = try await vault.supporter(withEmail: email, on: db), other.id != id {
                throw ValidationErrors(field: "email", message: "error.email_taken")
            }
            try vault.seal(person, into: supporter)
            try await supporter.update(on: db)
            try await record("supporter.edited", id, by: actor, on: db)
            try await SupporterChange.record(.updated, supporter: id, at: clock.now, on: db)
        }
    }

    public func addTag(_ name: String, to id: UUID, by actor: AuditActor) async throws {
        let tag = Normalization.text(name)
        guard !tag.isEmpty, tag.count <= 60 else { throw ValidationErrors(field: "tag", message: "error.tag_invalid") }
        try await database.transaction { db in
            guard try await Supporter.find(id, on: db) != nil else { throw SupporterError.notFound }
            if try await SupporterTag.query(on: db).filter(\.$supporter.$id == id).filter(\.$name == tag).count() == 0 {
                let label = SupporterTag()
                label.$supporter.id = id
                label.name = tag
                try await label.create(on: db)
            }
            try await record("supporter.tagged", id, by: actor, on: db)
            try await SupporterChange.record(.updated, supporter: id, at: clock.now, on: db)
        }
    }

    public func removeTag(_ name: String, from id: UUID, by actor: AuditActor) async throws {
        try await database.transaction { db in
            guard try await Supporter.find(id, on: db) != nil else { throw SupporterError.notFound }
            try await SupporterTag.query(on: db).filter(\.$supporter.$id == id).filter(\.$name == name).delete()
            try await record("supporter.untagged", id, by: actor, on: db)
            try await SupporterChange.record(.updated, supporter: id, at: clock.now, on: db)
        }
    }

    /// Removes a supporter with their actions and tags; the deletion and its line commit
    /// together, then the freed pages are scrubbed so the values leave the disk.
    public func delete(_ id: UUID, by actor: AuditActor) async throws {
        try await database.transaction { db in
            guard let supporter = try await Supporter.find(id, on: db) else { throw SupporterError.notFound }
            try await SupporterTag.query(on: db).filter(\.$supporter.$id == id).delete()
            try await Action.query(on: db).filter(\.$supporter.$id == id).delete()
            // Nothing more is told about someone who is gone.
            try await SupporterChange.query(on: db).filter(\.$supporterID == id).delete()
            try await supporter.delete(on: db)
            try await record("supporter.deleted", id, by: actor, on: db)
        }
        try await Retention.scrubFreedPages(database)
    }

    private func record(_ action: String, _ id: UUID, by actor: AuditActor, detail: String = "", on db: (any Database)? = nil) async throws {
        try await AuditLog(database: db ?? database).record(
            action,
            by: actor,
            subjectType: "supporter",
            subjectID: id.uuidString,
            detail: detail,
            at: clock.now
        )
    }

    /// Every tag in use, for the filter's choices.
    public func allTags() async throws -> [String] {
        // DISTINCT in the database: a tag on 100,000 supporters is one row here, not 100,000.
        try await SupporterTag.query(on: database).unique().sort(\.$name).all(\.$name)
    }

    private func tags(for ids: [UUID]) async throws -> [UUID: [String]] {
        try await Self.tags(for: ids, on: database)
    }

    /// Each supporter's tags by name, for these supporters, read on `db`.
    static func tags(for ids: [UUID], on db: any Database) async throws -> [UUID: [String]] {
        var result: [UUID: [String]] = [:]
        // A thousand ids a statement: an export of every supporter stays under SQLite's parameter limit.
        for start in stride(from: 0, to: ids.count, by: 1000) {
            let chunk = Array(ids[start..<min(start + 1000, ids.count)])
            for tag in try await SupporterTag.query(on: db).filter(\.$supporter.$id ~~ chunk).sort(\.$name).all() {
                result[tag.$supporter.id, default: []].append(tag.name)
            }
        }
        return result
    }
}

public enum SupporterError: NotFoundError, Equatable {
    case notFound
}
