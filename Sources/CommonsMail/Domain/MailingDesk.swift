import CommonsAudit
import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import FluentKit
import Foundation
import SQLKit

/// Writes one copy of a mailing for one person (the web layer's letters know the links and
/// the footer).
public typealias MailingComposer = @Sendable (MailingVersion, MailRecipient) throws -> MailMessage

/// Who a mailing goes to: the supporter list's filters (never a search text), always narrowed
/// to people who take email news.
public struct MailingAudience: Codable, Sendable, Equatable {
    public var campaignID: UUID?
    public var eventID: UUID?
    public var tag: String?
    public var language: String?
    public var from: Date?
    public var until: Date?

    public init(campaignID: UUID? = nil, eventID: UUID? = nil, tag: String? = nil, language: String? = nil, from: Date? = nil, until: Date? = nil) {
        self.campaignID = campaignID
        self.eventID = eventID
        self.tag = tag
        self.language = language
        self.from = from
        self.until = until
    }

    public var filter: SupporterFilter {
        var filter = SupporterFilter()
        filter.campaignID = campaignID
        filter.eventID = eventID
        filter.tag = tag
        filter.language = language
        filter.from = from
        filter.until = until
        filter.emailOptIn = true
        return filter
    }
}

/// What an organizer writes: a subject and Markdown body per language, English required.
public struct MailingDraft: Sendable {
    public var versions: [String: (subject: String, body: String)]
    public var audience: MailingAudience
    /// Sent when "send" is pressed if nil or past; otherwise queued at that time.
    public var sendAt: Date?

    public init(versions: [String: (subject: String, body: String)], audience: MailingAudience, sendAt: Date? = nil) {
        self.versions = versions
        self.audience = audience
        self.sendAt = sendAt
    }
}

/// Mailings to the list: written, counted, previewed, then queued in one transaction.
public struct MailingDesk: Sendable {
    public static let maximumSubject = 200
    public static let maximumBody = 100_000

    let database: any Database
    let keys: DataKeys
    let clock: Clock

    public init(database: any Database, keys: DataKeys, clock: Clock) {
        self.database = database
        self.keys = keys
        self.clock = clock
    }

    /// Creates (`id` nil) or changes a mailing that has not been sent.
    @discardableResult
    public func save(_ draft: MailingDraft, id: UUID?, by staffID: UUID) async throws -> Mailing {
        var errors = ValidationErrors()
        let english = draft.versions["en"]
        if english?.subject.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
            errors.add(field: "subject_en", message: "error.mailing_subject_required")
        }
        if english?.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            errors.add(field: "body_en", message: "error.mailing_body_required")
        }
        for (language, version) in draft.versions {
            if version.subject.count > Self.maximumSubject { errors.add(field: "subject_\(language)", message: "error.mailing_too_long") }
            if version.body.utf8.count > Self.maximumBody { errors.add(field: "body_\(language)", message: "error.mailing_too_long") }
        }
        try errors.throwIfAny()
        let audience = String(decoding: try JSONEncoder().encode(draft.audience), as: UTF8.self)
        return try await database.transaction { db in
            let mailing: Mailing
            if let id {
                guard let found = try await Mailing.find(id, on: db), found.status == .draft else { throw MailingError.notEditable }
                mailing = found
            } else {
                mailing = Mailing()
                mailing.id = UUID()
                mailing.status = .draft
                mailing.recipients = 0
                mailing.createdBy = staffID
                mailing.createdAt = clock.now
            }
            mailing.audienceJSON = audience
            mailing.sendAt = draft.sendAt
            mailing.updatedAt = clock.now
            try await mailing.save(on: db)
            try await MailingVersion.query(on: db).filter(\.$mailing.$id == mailing.requireID()).delete()
            for (language, version) in draft.versions.sorted(by: { $0.key < $1.key }) {
                let subject = version.subject.trimmingCharacters(in: .whitespaces)
                let body = version.body.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !subject.isEmpty || !body.isEmpty else { continue }
                let row = MailingVersion()
                row.$mailing.id = try mailing.requireID()
                row.language = language
                row.subject = subject
                row.body = body
                try await row.create(on: db)
            }
            return mailing
        }
    }

    public func mailing(_ id: UUID) async throws -> (mailing: Mailing, versions: [MailingVersion])? {
        guard let mailing = try await Mailing.find(id, on: database) else { return nil }
        let versions = try await MailingVersion.query(on: database).filter(\.$mailing.$id == id).sort(\.$language).all()
        return (mailing, versions)
    }

    /// Newest first, each with its versions (one query for them all).
    public func all() async throws -> [Mailing] {
        try await Mailing.query(on: database).with(\.$versions).sort(\.$createdAt, .descending).all()
    }

    public func audience(of mailing: Mailing) throws -> MailingAudience {
        try JSONDecoder().decode(MailingAudience.self, from: Data(mailing.audienceJSON.utf8))
    }

    /// The people it would reach now, counted before sending (suppressed addresses left out).
    public func recipients(_ audience: MailingAudience, outbox: Outbox) async throws -> [MailRecipient] {
        let everyone = try await SupporterDirectory(database: database, keys: keys, clock: clock).mailRecipients(audience.filter)
        let indexes = everyone.map { outbox.recipientIndex($0.email) }
        let suppressed = try await outbox.suppressed(among: indexes)
        guard !suppressed.isEmpty else { return everyone }
        return zip(everyone, indexes).filter { !suppressed.contains($0.1) }.map(\.0)
    }

    /// Sends now, or at `at` when that is later: a scheduled mailing is queued by `queueDue`.
    public func send(
        _ id: UUID,
        at: Date?,
        by actor: AuditActor,
        outbox: Outbox,
        compose: MailingComposer
    ) async throws {
        guard let mailing = try await Mailing.find(id, on: database), mailing.status != .queued else { throw MailingError.notEditable }
        if let at, at > clock.now {
            mailing.status = .scheduled
            mailing.sendAt = at
            mailing.updatedAt = clock.now
            try await mailing.update(on: database)
            try await AuditLog(database: database).record(
                "mailing.scheduled",
                by: actor,
                detail: "mailing=\(id.uuidString.lowercased())",
                at: clock.now
            )
            return
        }
        try await queue(mailing, by: actor, outbox: outbox, compose: compose)
    }

    /// Queues every scheduled mailing whose time has come; answers how many, and how many copies.
    @discardableResult
    public func queueDue(
        outbox: Outbox,
        compose: MailingComposer
    ) async throws -> (mailings: Int, messages: Int) {
        let due = try await Mailing.query(on: database).filter(\.$status == .scheduled).filter(\.$sendAt <= clock.now).all()
        var queued = (mailings: 0, messages: 0)
        for mailing in due {
            do {
                queued.messages += try await queue(mailing, by: .system("scheduled mailing"), outbox: outbox, compose: compose)
                queued.mailings += 1
            } catch MailingError.notEditable {
                // Another server's scheduler queued it first.
            }
        }
        return queued
    }

    /// One copy per recipient in their language (English where the mailing has no version in
    /// it), all in one transaction with the mailing's new state and its audit line; answers
    /// how many copies.
    @discardableResult
    private func queue(
        _ mailing: Mailing,
        by actor: AuditActor,
        outbox: Outbox,
        compose: MailingComposer
    ) async throws -> Int {
        let id = try mailing.requireID()
        let versions = try await MailingVersion.query(on: database).filter(\.$mailing.$id == id).all()
        let byLanguage = Dictionary(versions.map { ($0.language, $0) }, uniquingKeysWith: { first, _ in first })
        guard let english = byLanguage["en"] else { throw MailingError.notEditable }
        let people = try await recipients(try audience(of: mailing), outbox: outbox)
        let messages = try people.map { person in
            (message: try compose(byLanguage[person.language ?? "en"] ?? english, person), supporterID: Optional(person.supporterID))
        }
        let rows = try outbox.sealAll(messages, kind: .mailing, mailingID: id)
        try await database.transaction { db in
            // Queued once: a second press, or a second server's scheduler, finds it queued. The
            // conditional update takes the row (PostgreSQL locks it until commit; the other
            // transaction then sees "queued" and changes nothing).
            let taken = try await (db as! any SQLDatabase).raw(
                "UPDATE mailings SET status = \(bind: Mailing.Status.queued.rawValue) WHERE id = \(bind: id) AND status <> \(bind: Mailing.Status.queued.rawValue) RETURNING id"
            ).all()
            guard !taken.isEmpty, let fresh = try await Mailing.find(id, on: db) else { throw MailingError.notEditable }
            try await outbox.insert(rows, on: db)
            fresh.status = .queued
            fresh.queuedAt = clock.now
            fresh.recipients = messages.count
            fresh.updatedAt = clock.now
            try await fresh.update(on: db)
            try await AuditLog(database: db).record(
                "mailing.sent",
                by: actor,
                detail: "mailing=\(id.uuidString.lowercased()) recipients=\(messages.count)",
                at: clock.now
            )
        }
        return messages.count
    }
}

public enum MailingError: Error, Equatable {
    /// Already sent (or gone): it cannot be changed or sent again.
    case notEditable
}
