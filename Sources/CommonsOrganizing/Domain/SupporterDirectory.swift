import CommonsAudit
import CommonsCore
import CommonsPrivacy
import FluentKit
import FluentSQL
import Foundation
import SQLKit
import Synchronization

/// What an organizer narrows the supporter list to.
public struct SupporterFilter: Sendable, Equatable {
    /// A name, an email or a phone number. Emails and phones are matched exactly through the
    /// blind index; names by whole words (any order, case and accents ignored) through the
    /// name index, each candidate then opened to confirm.
    public var query: String = ""
    public var campaignID: UUID?
    public var eventID: UUID?
    /// Acted through a form embedded on this member organization's website.
    public var viaMemberID: UUID?
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
        if let viaMemberID { parts.append("via=\(viaMemberID.uuidString.lowercased())") }
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
    /// Only the matching ids are held for the whole export (16 bytes a supporter, read in one
    /// statement, so the list is one consistent moment); each batch is then read by id, opened,
    /// written and let go. A supporter deleted meanwhile is left out. A name search has few
    /// candidates and opens them together.
    @discardableResult
    public func export(
        _ filter: SupporterFilter,
        by actor: AuditActor,
        batchSize: Int = 500,
        _ write: ([SupporterRecord]) async throws -> Void
    ) async throws -> Int {
        if Self.searchesNames(filter) {
            let records = try await matching(filter)
            try await recordExport(filter, rows: records.count, by: actor)
            for batch in records.chunked(batchSize) { try await write(batch) }
            return records.count
        }
        let ids = try await matchingIDs(filter)
        try await recordExport(filter, rows: ids.count, by: actor)
        var written = 0
        for chunk in ids.chunked(batchSize) {
            let batch = try await supporters(chunk)
            try await write(try await records(batch, namesMatching: nil))
            written += batch.count
        }
        return written
    }

    private func recordExport(_ filter: SupporterFilter, rows: Int, by actor: AuditActor) async throws {
        try await AuditLog(database: database).record(
            "supporters.exported",
            by: actor,
            detail: "filter=\(filter.auditDescription) rows=\(rows)",
            at: clock.now
        )
    }

    /// The ids of the supporters the filter selects, in the list's order, decoded row by row
    /// (no model is built for them).
    func matchingIDs(_ filter: SupporterFilter) async throws -> [UUID] {
        let ids = Mutex<[UUID]>([])
        let failure = Mutex<(any Error)?>(nil)
        try await filtered(filter, shape: .perSupporter).field(\.$id).run { output in
            do {
                let id = try output.schema(Supporter.schema).decode(.id, as: UUID.self)
                ids.withLock { $0.append(id) }
            } catch {
                failure.withLock { $0 = error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return ids.withLock { $0 }
    }

    /// The supporters with these ids, in the order given (those since deleted are left out).
    func supporters(_ ids: [UUID]) async throws -> [Supporter] {
        let found = Dictionary(uniqueKeysWithValues: try await Supporter.query(on: database).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
        return ids.compactMap { found[$0] }
    }

    /// How a filter on actions or tags is written: as a list of ids (`IN (SELECT …)`), best when
    /// few supporters match, or as a question asked of each supporter in the list's order
    /// (`EXISTS (…)`), best when many do: the first page of a campaign of 40,000 is then found
    /// by reading the list's index until 50 have answered yes, instead of sorting 40,000.
    enum FilterShape { case list, perSupporter }

    /// Above this many matches a page is found by walking the list's order (`.perSupporter`).
    static let denseFilter = 2_000

    /// The supporters the filter selects, newest action first. Campaign, event, date and tag
    /// filters are subqueries in the same statement, so a campaign of 40,000 binds one id, not
    /// 40,000 (SQLite takes at most 32,766 parameters). A name search selects the supporters
    /// whose name index holds every word searched for (the words still need checking against
    /// the opened names: the index's hashes are cut short and may collide).
    func filtered(_ filter: SupporterFilter, shape: FilterShape = .list) -> QueryBuilder<Supporter> {
        let query = Supporter.query(on: database)
        let supporterID: SQLQueryString = "\(ident: Supporter.schema).\(ident: "id")"
        func limited(to table: String, _ conditions: [SQLQueryString]) -> DatabaseQuery.Filter {
            let whereClause = conditions.joined(separator: " AND ")
            switch shape {
            case .list:
                return .sql(embed: "\(supporterID) IN (SELECT \(ident: table).\(ident: "supporter_id") FROM \(ident: table) WHERE \(whereClause))")
            case .perSupporter:
                return .sql(
                    embed:
                        "EXISTS (SELECT 1 FROM \(ident: table) WHERE \(ident: table).\(ident: "supporter_id") = \(supporterID) AND \(whereClause))"
                )
            }
        }
        func column(_ name: String) -> SQLQueryString { "\(ident: Action.schema).\(ident: name)" }
        var actionConditions: [SQLQueryString] = []
        if let campaignID = filter.campaignID { actionConditions.append("\(column("campaign_id")) = \(bind: campaignID)") }
        if let eventID = filter.eventID { actionConditions.append("\(column("event_id")) = \(bind: eventID)") }
        if let via = filter.viaMemberID { actionConditions.append("\(column("via_member_id")) = \(bind: via)") }
        if let from = filter.from { actionConditions.append("\(column("created_at")) >= \(bind: from)") }
        if let until = filter.until { actionConditions.append("\(column("created_at")) < \(bind: until)") }
        if !actionConditions.isEmpty { query.filter(limited(to: Action.schema, actionConditions)) }
        if let tag = filter.tag, !tag.isEmpty {
            query.filter(limited(to: SupporterTag.schema, ["\(ident: SupporterTag.schema).\(ident: "name") = \(bind: tag)"]))
        }
        if let language = filter.language, !language.isEmpty { query.filter(\.$preferredLanguage == language) }
        if let role = filter.role, !role.isEmpty { query.filter(\.$role == role) }
        if filter.emailOptIn { query.filter(\.$emailOptIn == true) }
        let text = Normalization.text(filter.query)
        if text.contains("@") {
            query.filter(\.$emailIndex ~~ vault.emailIndexes(Normalization.email(text)))
        } else if let phone = Normalization.phone(text) {
            query.filter(\.$phoneIndex ~~ vault.phoneIndexes(phone))
        } else if !text.isEmpty {
            let nameIndex: SQLQueryString = "\(ident: Supporter.schema).\(ident: "name_index")"
            let words = Set(SupporterVault.nameWords(text))
            // Only punctuation: no name has no words.
            if words.isEmpty { query.filter(.sql(raw: "1 = 0")) }
            for word in words {
                let either = vault.nameWordIndexes(word).map { hash -> SQLQueryString in "\(nameIndex) LIKE \(bind: "% \(hash) %")" }
                query.filter(.sql(embed: "(\(either.joined(separator: " OR ")))"))
            }
        }
        return query.sort(\.$lastActionAt, .descending).sort(\.$id)
    }

    /// Whether the filter searches names, which are sealed: the name index narrows the
    /// candidates, which are then opened (emails and phones are found by blind index alone).
    static func searchesNames(_ filter: SupporterFilter) -> Bool {
        let text = Normalization.text(filter.query)
        return !text.isEmpty && !text.contains("@") && Normalization.phone(text) == nil
    }

    /// Every supporter matching the filter, newest action first.
    func matching(_ filter: SupporterFilter) async throws -> [SupporterRecord] {
        let supporters = try await filtered(filter).all()
        return try await records(supporters, namesMatching: Self.searchesNames(filter) ? Normalization.text(filter.query) : nil)
    }

    /// Opens the supporters (keeping only those whose name has every word of `name`, when given) with their tags.
    private func records(_ supporters: [Supporter], namesMatching name: String?) async throws -> [SupporterRecord] {
        var opened: [(Supporter, Person)] = []
        let searched = name.map { Set(SupporterVault.nameWords($0)) }
        for supporter in supporters {
            let person = try vault.open(supporter)
            if let searched {
                guard searched.isSubset(of: SupporterVault.nameWords(of: person)) else { continue }
            }
            opened.append((supporter, person))
        }
        let tagsBySupporter = try await tags(for: opened.compactMap { $0.0.id })
        return opened.map { SupporterRecord(supporter: $0.0, person: $0.1, tags: tagsBySupporter[$0.0.id!] ?? []) }
    }

    /// One page of the matching supporters, recorded with the filter and how many rows were shown.
    /// Without a name search, the database counts and pages, and only the page's 50 are opened;
    /// a name search opens only the candidates the name index found.
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
            let shape: FilterShape = total > Self.denseFilter ? .perSupporter : .list
            shown = try await records(try await filtered(filter, shape: shape).range(start..<(start + Self.perPage)).all(), namesMatching: nil)
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
            try await Self.remove(id, on: db)
            try await record("supporter.deleted", id, by: actor, on: db)
        }
        try await Retention.scrubFreedPages(database)
    }

    /// Deletes a supporter with their actions, tags and change records, in `db`'s transaction.
    static func remove(_ id: UUID, on db: any Database) async throws {
        guard let supporter = try await Supporter.find(id, on: db) else { throw SupporterError.notFound }
        try await SupporterTag.query(on: db).filter(\.$supporter.$id == id).delete()
        try await Action.query(on: db).filter(\.$supporter.$id == id).delete()
        try await SelfServiceLink.query(on: db).filter(\.$supporter.$id == id).delete()
        // Nothing more is told about someone who is gone.
        try await SupporterChange.query(on: db).filter(\.$supporterID == id).delete()
        try await supporter.delete(on: db)
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
        for chunk in ids.chunked(1000) {
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
