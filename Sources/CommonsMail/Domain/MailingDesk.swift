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
                mailing.id = UUID.random()
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
        guard let mailing = try await Mailing.find(id, on: database), mailing.status == .draft || mailing.status == .scheduled else {
            throw MailingError.notEditable
        }
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

    /// Queues every scheduled mailing whose time has come, and finishes any left half-made by a
    /// server that stopped (no heartbeat for `abandonedAfter`); answers how many, and how many copies.
    @discardableResult
    public func queueDue(
        outbox: Outbox,
        compose: MailingComposer
    ) async throws -> (mailings: Int, messages: Int) {
        let due = try await Mailing.query(on: database).filter(\.$status == .scheduled).filter(\.$sendAt <= clock.now).all()
        let abandoned = try await Mailing.query(on: database).filter(\.$status == .queueing)
            .filter(\.$updatedAt < clock.now.addingTimeInterval(-Self.abandonedAfter)).all()
        var queued = (mailings: 0, messages: 0)
        for mailing in due + abandoned {
            do {
                queued.messages += try await queue(mailing, by: .system("scheduled mailing"), outbox: outbox, compose: compose)
                queued.mailings += 1
            } catch MailingError.notEditable {
                // Another server's scheduler took it first.
            }
        }
        return queued
    }

    /// Copies made and committed together: a short transaction each, so sign-ups are never held
    /// up behind a big mailing, and memory holds a thousand messages, not the whole list.
    public static let chunkSize = 1_000
    /// A mailing being queued whose server has not committed a chunk for this long is taken over.
    public static let abandonedAfter: TimeInterval = 300

    /// One copy per recipient in their language (English where the mailing has no version in
    /// it). The mailing is taken first (one conditional update: a second press, or a second
    /// server's scheduler, finds it taken), then its copies go to the outbox a chunk at a time,
    /// each chunk in its own transaction, then it is marked queued with its count and its audit
    /// line. A server that stops halfway leaves it `queueing`; `queueDue` finishes it later,
    /// skipping the people who already have their copy. Answers how many copies this call made.
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
        try await take(mailing)
        let people = try await recipients(try audience(of: mailing), outbox: outbox)
        // Whoever already has a copy (a queue cut short by a stop) is not sent a second.
        let done = Set(try await OutboxMessage.query(on: database).filter(\.$mailingID == id).all(\.$supporterID).compactMap { $0 })
        var made = 0
        for chunk in people.filter({ !done.contains($0.supporterID) }).chunked(Self.chunkSize) {
            let messages = try chunk.map { person in
                (message: try compose(byLanguage[person.language ?? "en"] ?? english, person), supporterID: Optional(person.supporterID))
            }
            let rows = try outbox.sealAll(messages, kind: .mailing, mailingID: id)
            try await database.transaction { db in
                try await outbox.insert(rows, on: db)
                try await Mailing.query(on: db).filter(\.$id == id).set(\.$updatedAt, to: clock.now).update()
            }
            made += rows.count
        }
        let total = done.count + made
        try await database.transaction { db in
            guard let fresh = try await Mailing.find(id, on: db), fresh.status == .queueing else { throw MailingError.notEditable }
            fresh.status = .queued
            fresh.queuedAt = clock.now
            fresh.recipients = total
            fresh.updatedAt = clock.now
            try await fresh.update(on: db)
            try await AuditLog(database: db).record(
                "mailing.sent",
                by: actor,
                detail: "mailing=\(id.uuidString.lowercased()) recipients=\(total)",
                at: clock.now
            )
        }
        return made
    }

    /// Marks the mailing `queueing` if it is a draft, a scheduled mailing, or one being queued
    /// whose server went quiet; throws `notEditable` when someone else has it. The conditional
    /// update takes the row (PostgreSQL locks it until commit; the other transaction then finds
    /// it changed and takes nothing).
    private func take(_ mailing: Mailing) async throws {
        let id = try mailing.requireID()
        let now = clock.now
        let quiet = now.addingTimeInterval(-Self.abandonedAfter)
        let taken = try await (database as! any SQLDatabase).raw(
            """
            UPDATE mailings SET status = \(bind: Mailing.Status.queueing.rawValue), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND (status IN (\(bind: Mailing.Status.draft.rawValue), \(bind: Mailing.Status.scheduled.rawValue))
                OR (status = \(bind: Mailing.Status.queueing.rawValue) AND updated_at < \(bind: quiet)))
            RETURNING id
            """
        ).all()
        guard !taken.isEmpty else { throw MailingError.notEditable }
    }
}

public enum MailingError: Error, Equatable {
    /// Already sent (or gone): it cannot be changed or sent again.
    case notEditable
}
