import CommonsAudit
import CommonsCore
import CommonsPrivacy
import FluentKit
import Foundation
import SQLKit

/// What a partner tool narrows a collection to (OSDI's `filter`).
public struct PartnerFilter: Sendable, Equatable {
    /// Changed after this instant.
    public var modifiedAfter: Date?
    /// Changed before this instant.
    public var modifiedBefore: Date?
    /// Exactly this address (people only), matched through the blind index.
    public var email: String?

    public init(modifiedAfter: Date? = nil, modifiedBefore: Date? = nil, email: String? = nil) {
        self.modifiedAfter = modifiedAfter
        self.modifiedBefore = modifiedBefore
        self.email = email
    }

    /// For the audit log: which filters were set, never the address searched for.
    var auditDescription: String {
        let parts = [modifiedAfter.map { _ in "modified_after" }, modifiedBefore.map { _ in "modified_before" }, email.map { _ in "email" }]
        let set = parts.compactMap { $0 }
        return set.isEmpty ? "all" : set.joined(separator: ",")
    }
}

/// One page of a collection, and how many records the whole collection holds.
public struct PartnerPage<Item: Sendable>: Sendable {
    public let items: [Item]
    public let total: Int
}

/// A tag in use, and how many supporters carry it.
public struct TagUse: Sendable, Equatable {
    public let name: String
    public let count: Int
}

/// What partner tools (through the API) read and change. Reads open only the page asked for;
/// every read of people's data, and every change, is in the audit log under the token's name,
/// with what was read and how many people.
public struct PartnerDesk: Sendable {
    public static let maximumPerPage = 100

    let database: any Database
    let vault: SupporterVault
    let clock: Clock

    public init(database: any Database, keys: DataKeys, clock: Clock) {
        self.database = database
        self.vault = SupporterVault(keys: keys)
        self.clock = clock
    }

    /// Supporters, oldest first (a stable order for paging while people join).
    public func people(_ filter: PartnerFilter, page: Int, perPage: Int, by actor: AuditActor) async throws -> PartnerPage<SupporterRecord> {
        var query = Supporter.query(on: database)
        if let after = filter.modifiedAfter { query = query.filter(\.$updatedAt > after) }
        if let before = filter.modifiedBefore { query = query.filter(\.$updatedAt < before) }
        if let email = filter.email { query = query.filter(\.$emailIndex ~~ vault.emailIndexes(Normalization.email(email))) }
        let found = try await Self.page(query.sort(\.$createdAt).sort(\.$id), page: page, perPage: perPage)
        let records = try await records(found.items)
        try await audit("api.people_read", by: actor, detail: "filter=\(filter.auditDescription) rows=\(records.count)")
        return PartnerPage(items: records, total: found.total)
    }

    /// One supporter; the look is recorded.
    public func person(_ id: UUID, by actor: AuditActor) async throws -> SupporterRecord? {
        guard let supporter = try await Supporter.find(id, on: database) else { return nil }
        try await audit("api.person_read", by: actor, subjectID: id, detail: "rows=1")
        return try await records([supporter]).first
    }

    /// Replaces the values given (the others stay), and turns email or text messages off when
    /// asked; only a person's own form turns them on. Throws `SupporterError.notFound`, or
    /// `ValidationErrors` when the email belongs to another supporter.
    public func update(_ id: UUID, with given: Person, stopEmail: Bool, stopSMS: Bool, by actor: AuditActor) async throws -> SupporterRecord {
        try await database.transaction { db in
            guard let supporter = try await Supporter.find(id, on: db) else { throw SupporterError.notFound }
            let changed = try await SupporterDirectory.apply(given, to: supporter, vault: vault, on: db)
            if stopSMS, supporter.smsOptIn {
                supporter.smsOptIn = false
                try await supporter.update(on: db)
            }
            var detail = "fields=\(changed.map(\.rawValue).joined(separator: ","))"
            if stopSMS { detail += " sms=off" }
            try await audit("supporter.edited", by: actor, subjectID: id, detail: detail, on: db)
            try await SupporterChange.record(.updated, supporter: id, at: clock.now, on: db)
        }
        if stopEmail { try await Subscriptions(clock: clock).stop(id, reason: .requested, on: database) }
        guard let supporter = try await Supporter.find(id, on: database) else { throw SupporterError.notFound }
        return try await records([supporter])[0]
    }

    /// Every tag in use with how many carry it, by name. Holds no personal data. Counted by
    /// the database: 100,000 taggings are not read to count them.
    public func tags() async throws -> [TagUse] {
        struct Row: Decodable {
            let name: String
            let uses: Int
        }
        return try await (database as! any SQLDatabase).raw(
            "SELECT name, count(*) AS uses FROM \(ident: SupporterTag.schema) GROUP BY name"
        ).all(decoding: Row.self).map { TagUse(name: $0.name, count: $0.uses) }.sorted { $0.name < $1.name }
    }

    /// Who carries a tag: the taggings, a page at a time.
    public func taggings(_ tag: String, page: Int, perPage: Int, by actor: AuditActor) async throws -> PartnerPage<SupporterTag> {
        let found = try await Self.page(SupporterTag.query(on: database).filter(\.$name == tag).sort(\.$id), page: page, perPage: perPage)
        try await audit("api.taggings_read", by: actor, detail: "rows=\(found.items.count)")
        return PartnerPage(items: found.items, total: found.total)
    }

    /// The actions of one kind taken on a campaign or event (signatures, submissions,
    /// attendances), oldest first.
    public func actions(
        _ kind: Action.Kind,
        campaignID: UUID? = nil,
        eventID: UUID? = nil,
        filter: PartnerFilter,
        page: Int,
        perPage: Int,
        by actor: AuditActor
    ) async throws -> PartnerPage<Action> {
        var query = Action.query(on: database).filter(\.$kind == kind)
        if let campaignID { query = query.filter(\.$campaign.$id == campaignID) }
        if let eventID { query = query.filter(\.$event.$id == eventID) }
        if let after = filter.modifiedAfter { query = query.filter(\.$createdAt > after) }
        if let before = filter.modifiedBefore { query = query.filter(\.$createdAt < before) }
        let found = try await Self.page(query.sort(\.$createdAt).sort(\.$id), page: page, perPage: perPage)
        try await audit("api.\(kind.rawValue)_actions_read", by: actor, detail: "filter=\(filter.auditDescription) rows=\(found.items.count)")
        return PartnerPage(items: found.items, total: found.total)
    }

    /// One page of a sorted query and how many rows it has in all; no rows past the end or
    /// for a page number that cannot be one.
    private static func page<Item: Model>(_ query: QueryBuilder<Item>, page: Int, perPage: Int) async throws -> (items: [Item], total: Int) {
        let total = try await query.copy().count()
        guard let start = Pagination.offset(page: page, perPage: perPage), start < total else { return ([], total) }
        return (try await query.range(start..<(start + perPage)).all(), total)
    }

    /// One action; the look is recorded.
    public func action(_ id: UUID, by actor: AuditActor) async throws -> Action? {
        guard let action = try await Action.find(id, on: database) else { return nil }
        try await audit("api.action_read", by: actor, subjectID: action.$supporter.id, detail: "rows=1")
        return action
    }

    /// The supporters with these ids that still exist, opened, read on `db` (a webhook's
    /// transaction); the caller records what it does with them.
    public func records(ids: [UUID], on db: any Database) async throws -> [UUID: SupporterRecord] {
        guard !ids.isEmpty else { return [:] }
        let found = try await records(try await Supporter.query(on: db).filter(\.$id ~~ ids).all(), on: db)
        return Dictionary(uniqueKeysWithValues: found.map { ($0.supporter.id!, $0) })
    }

    private func records(_ supporters: [Supporter], on db: (any Database)? = nil) async throws -> [SupporterRecord] {
        let tags = try await SupporterDirectory.tags(for: supporters.compactMap(\.id), on: db ?? database)
        return try supporters.map { SupporterRecord(supporter: $0, person: try vault.open($0), tags: tags[$0.id!] ?? []) }
    }

    private func audit(_ action: String, by actor: AuditActor, subjectID: UUID? = nil, detail: String, on db: (any Database)? = nil) async throws {
        try await AuditLog(database: db ?? database).record(
            action,
            by: actor,
            subjectType: subjectID.map { _ in "supporter" },
            subjectID: subjectID?.uuidString,
            detail: detail,
            at: clock.now
        )
    }
}
