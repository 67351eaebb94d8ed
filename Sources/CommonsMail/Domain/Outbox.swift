import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import FluentKit
import Foundation
import SQLKit

/// A message taken from the outbox to be sent, opened.
public struct ClaimedMessage: Sendable {
    public let id: UUID
    public let kind: OutboxMessage.Kind
    public let supporterID: UUID?
    public let mailingID: UUID?
    public let recipient: String
    public let recipientIndex: String
    public let content: [UInt8]
    public let attempts: Int
    public let createdAt: Date
}

/// How many copies of a mailing are in each state.
public struct MailProgress: Sendable, Equatable {
    public var queued = 0
    public var sent = 0
    public var failed = 0
    public var suppressed = 0
    public var total: Int { queued + sent + failed + suppressed }
    public init() {}
}

/// The durable queue of outgoing mail. A message is a row committed before any byte is sent;
/// servers claim rows for a short lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so two servers
/// never take the same row), and a row is marked sent only after the relay's `250`. A server
/// killed mid-send leaves its claimed rows to be taken again when the lease runs out: a
/// recipient may get a message twice, with the same `Message-ID`, never zero times.
public struct Outbox: Sendable {
    /// How long a claim holds; a batch is sent well within it.
    public static let lease: TimeInterval = 120

    let database: any Database
    let cipher: FieldCipher
    let index: BlindIndex
    let clock: Clock
    let sender: MailSender

    public init(database: any Database, keys: DataKeys, clock: Clock, sender: MailSender) {
        self.database = database
        self.cipher = FieldCipher(keys: keys)
        self.index = BlindIndex(keys: keys)
        self.clock = clock
        self.sender = sender
    }

    public func recipientIndex(_ address: String) -> String { index.hash(Self.normalized(address), purpose: "email") }

    static func normalized(_ address: String) -> String { address.trimmingCharacters(in: .whitespaces).lowercased() }

    /// One message for `enqueue`.
    public struct Outgoing: Sendable {
        public var message: MailMessage
        public var kind: OutboxMessage.Kind
        public var supporterID: UUID?
        public var mailingID: UUID?
        /// A message with a key queued before is not queued again.
        public var dedupeKey: String?
        public var notBefore: Date?

        public init(
            _ message: MailMessage,
            kind: OutboxMessage.Kind,
            supporterID: UUID? = nil,
            mailingID: UUID? = nil,
            dedupeKey: String? = nil,
            notBefore: Date? = nil
        ) {
            self.message = message
            self.kind = kind
            self.supporterID = supporterID
            self.mailingID = mailingID
            self.dedupeKey = dedupeKey
            self.notBefore = notBefore
        }
    }

    /// Queues `message` on `db` (the caller's transaction, so it commits with what caused it).
    /// Answers nil, queuing nothing, when `dedupeKey` was queued before or the address is on
    /// the suppression list.
    @discardableResult
    public func enqueue(
        _ message: MailMessage,
        kind: OutboxMessage.Kind,
        supporterID: UUID? = nil,
        mailingID: UUID? = nil,
        dedupeKey: String? = nil,
        notBefore: Date? = nil,
        on db: any Database
    ) async throws -> UUID? {
        let outgoing = Outgoing(message, kind: kind, supporterID: supporterID, mailingID: mailingID, dedupeKey: dedupeKey, notBefore: notBefore)
        return try await enqueue([outgoing], on: db)[0]
    }

    /// Queues several messages on `db` with one look-up of their dedupe keys, one of their
    /// addresses on the suppression list and one insert (a group of sign-ups' confirmations).
    /// Answers each one's id, or nil where it was not queued: a dedupe key queued before or
    /// earlier in the list, or a suppressed address.
    public func enqueue(_ messages: [Outgoing], on db: any Database) async throws -> [UUID?] {
        var seenKeys: Set<String> = []
        for chunk in Set(messages.compactMap(\.dedupeKey)).sorted().chunked(1_000) {
            seenKeys.formUnion(try await OutboxMessage.query(on: db).filter(\.$dedupeKey ~~ chunk).all(\.$dedupeKey).compactMap { $0 })
        }
        let hashes = messages.map { index.hashes(Self.normalized($0.message.to), purpose: "email") }
        let suppressed = try await suppressed(among: Array(Set(hashes.joined())), on: db)
        let now = clock.now
        var rows: [OutboxMessage] = []
        var ids: [UUID?] = []
        for (outgoing, addressHashes) in zip(messages, hashes) {
            if let key = outgoing.dedupeKey, !seenKeys.insert(key).inserted {
                ids.append(nil)
                continue
            }
            if addressHashes.contains(where: suppressed.contains) {
                ids.append(nil)
                continue
            }
            let row = try seal(
                outgoing.message,
                kind: outgoing.kind,
                supporterID: outgoing.supporterID,
                mailingID: outgoing.mailingID,
                dedupeKey: outgoing.dedupeKey,
                now: now,
                notBefore: outgoing.notBefore
            )
            rows.append(row)
            ids.append(row.id)
        }
        try await insert(rows, on: db)
        return ids
    }

    /// Seals many messages at once (a mailing) for `insert`. This is the costly part (each
    /// message rendered and encrypted), so it runs before the transaction that inserts them and
    /// never holds the database's writer.
    public func sealAll(
        _ messages: [(message: MailMessage, supporterID: UUID?)],
        kind: OutboxMessage.Kind,
        mailingID: UUID?
    ) throws -> [OutboxMessage] {
        let now = clock.now
        return try messages.map { item in
            try seal(item.message, kind: kind, supporterID: item.supporterID, mailingID: mailingID, dedupeKey: nil, now: now, notBefore: nil)
        }
    }

    /// Inserts rows from `sealAll`, 200 to a statement.
    public func insert(_ rows: [OutboxMessage], on db: any Database) async throws {
        for chunk in rows.chunked(200) { try await chunk.insert(on: db, at: clock.now) }
    }

    private func seal(
        _ message: MailMessage,
        kind: OutboxMessage.Kind,
        supporterID: UUID?,
        mailingID: UUID?,
        dedupeKey: String?,
        now: Date,
        notBefore: Date?
    ) throws -> OutboxMessage {
        let id = UUID.timeOrdered(at: now)
        let row = OutboxMessage()
        row.id = id
        row.kind = kind
        row.status = .queued
        row.supporterID = supporterID
        row.mailingID = mailingID
        row.recipient = try cipher.seal(message.to, table: OutboxMessage.schema, column: "recipient", rowID: id)
        row.recipientIndex = recipientIndex(message.to)
        let bytes = message.rendered(from: sender, messageID: id.uuidString.lowercased(), date: now)
        row.content = try cipher.seal(String(decoding: bytes, as: UTF8.self), table: OutboxMessage.schema, column: "content", rowID: id)
        row.language = message.language
        row.dedupeKey = dedupeKey
        row.attempts = 0
        row.nextAttemptAt = notBefore ?? now
        row.createdAt = now
        return row
    }

    /// Takes up to `limit` messages that are due and not claimed by another server.
    public func claim(limit: Int) async throws -> [ClaimedMessage] {
        let now = clock.now
        let rows: [OutboxMessage] = try await database.transaction { db in
            let sql = db as! any SQLDatabase
            let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            let ids = try await sql.raw(
                """
                SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= \(bind: now)
                AND (claimed_until IS NULL OR claimed_until < \(bind: now))
                ORDER BY next_attempt_at LIMIT \(bind: limit)\(lock)
                """
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !ids.isEmpty else { return [] }
            try await OutboxMessage.query(on: db).filter(\.$id ~~ ids).set(\.$claimedUntil, to: now.addingTimeInterval(Self.lease)).update()
            return try await OutboxMessage.query(on: db).filter(\.$id ~~ ids).sort(\.$nextAttemptAt).all()
        }
        return try rows.map { row in
            let id = try row.requireID()
            return ClaimedMessage(
                id: id,
                kind: row.kind,
                supporterID: row.supporterID,
                mailingID: row.mailingID,
                recipient: try cipher.open(row.recipient, table: OutboxMessage.schema, column: "recipient", rowID: id),
                recipientIndex: row.recipientIndex,
                content: try row.content.map { Array(try cipher.open($0, table: OutboxMessage.schema, column: "content", rowID: id).utf8) } ?? [],
                attempts: row.attempts,
                createdAt: row.createdAt
            )
        }
    }

    /// Gives back every claim (a lone SQLite server starting again after a crash).
    public func releaseClaims() async throws {
        try await OutboxMessage.query(on: database).filter(\.$status == .queued).set(\.$claimedUntil, to: nil).update()
    }

    /// The relay took these.
    public func markSent(_ ids: [UUID]) async throws {
        guard !ids.isEmpty else { return }
        let now = clock.now
        try await OutboxMessage.query(on: database).filter(\.$id ~~ ids)
            .set(\.$status, to: .sent).set(\.$sentAt, to: now).set(\.$claimedUntil, to: nil).set(\.$lastError, to: nil).update()
    }

    /// A temporary failure: tried again later (1, 5, 25 minutes… at most 2 hours apart) until three
    /// days after queuing, then failed.
    public func retry(_ message: ClaimedMessage, reason: String) async throws {
        let now = clock.now
        let attempts = message.attempts + 1
        let scheduled = RetrySchedule.next(afterAttempt: attempts, queuedAt: message.createdAt, now: now)
        let next = scheduled ?? now
        let giveUp = scheduled == nil
        try await OutboxMessage.query(on: database).filter(\.$id == message.id)
            .set(\.$attempts, to: attempts).set(\.$nextAttemptAt, to: next).set(\.$claimedUntil, to: nil)
            .set(\.$status, to: giveUp ? .failed : .queued).set(\.$lastError, to: reason).update()
    }

    /// Gives claimed messages back without counting an attempt (the relay went away mid-batch).
    public func postpone(_ ids: [UUID], by seconds: TimeInterval) async throws {
        guard !ids.isEmpty else { return }
        try await OutboxMessage.query(on: database).filter(\.$id ~~ ids)
            .set(\.$claimedUntil, to: nil).set(\.$nextAttemptAt, to: clock.now.addingTimeInterval(seconds)).update()
    }

    /// A permanent failure, or a message that must not go out any more.
    public func finish(_ id: UUID, as status: OutboxMessage.Status, reason: String?) async throws {
        try await OutboxMessage.query(on: database).filter(\.$id == id)
            .set(\.$status, to: status).set(\.$claimedUntil, to: nil).set(\.$lastError, to: reason).update()
    }

    // MARK: - Suppression

    public func isSuppressed(_ address: String, on db: (any Database)? = nil) async throws -> Bool {
        try await MailSuppression.query(on: db ?? database).filter(\.$id ~~ index.hashes(Self.normalized(address), purpose: "email")).count() > 0
    }

    /// The ones among these hashes that are suppressed.
    func suppressed(among indexes: [String], on db: (any Database)? = nil) async throws -> Set<String> {
        // A thousand to a statement: a mailing to a campaign of 40,000 would bind more
        // parameters than SQLite takes (32,766).
        var found: Set<String> = []
        for chunk in indexes.chunked(1_000) {
            found.formUnion(try await MailSuppression.query(on: db ?? database).filter(\.$id ~~ chunk).all().compactMap(\.id))
        }
        return found
    }

    /// No more mail of any kind to this address (a `5xx` for the recipient).
    public func suppress(_ address: String, reason: String, on db: (any Database)? = nil) async throws {
        guard try await !isSuppressed(address, on: db) else { return }
        let row = MailSuppression()
        row.id = recipientIndex(address)
        row.reason = reason
        row.createdAt = clock.now
        try await row.create(on: db ?? database)
    }

    // MARK: - Progress and retention

    public func progress(ofMailing id: UUID) async throws -> MailProgress {
        let rows = try await (database as! any SQLDatabase).raw(
            "SELECT status, COUNT(*) AS n FROM outbox WHERE mailing_id = \(bind: id) GROUP BY status"
        ).all()
        var progress = MailProgress()
        for row in rows {
            let count = try row.decode(column: "n", as: Int.self)
            switch OutboxMessage.Status(rawValue: try row.decode(column: "status", as: String.self)) {
            case .queued: progress.queued = count
            case .sent: progress.sent = count
            case .failed: progress.failed = count
            case .suppressed: progress.suppressed = count
            case nil: break
            }
        }
        return progress
    }

    /// Seals every outbox row's address and message again under the current key version (part of
    /// `commons keys rotate`), a batch per transaction; answers how many rows were resealed.
    public static func reseal(database: any Database, keys: DataKeys, batchSize: Int = 200) async throws -> Int {
        let cipher = FieldCipher(keys: keys)
        let version = keys.version
        @Sendable func stale(_ row: OutboxMessage) -> Bool {
            FieldCipher.version(of: row.recipient) != version || row.content.map { FieldCipher.version(of: $0) != version } == true
        }
        var done = 0
        var after: UUID?
        while true {
            var query = OutboxMessage.query(on: database).sort(\.$id).limit(batchSize)
            if let after { query = query.filter(\.$id > after) }
            let batch = try await query.all()
            guard let last = batch.last else { break }
            after = last.id
            let old = batch.filter(stale)
            guard !old.isEmpty else { continue }
            done += try await database.transaction { db in
                var resealed = 0
                for row in old {
                    // Read again inside the transaction: delivery may have changed the row meanwhile.
                    guard let fresh = try await OutboxMessage.find(row.requireID(), on: db), stale(fresh) else { continue }
                    let id = try fresh.requireID()
                    let table = OutboxMessage.schema
                    fresh.recipient = try cipher.seal(
                        cipher.open(fresh.recipient, table: table, column: "recipient", rowID: id),
                        table: table,
                        column: "recipient",
                        rowID: id
                    )
                    if let content = fresh.content {
                        fresh.content = try cipher.seal(
                            cipher.open(content, table: table, column: "content", rowID: id),
                            table: table,
                            column: "content",
                            rowID: id
                        )
                    }
                    try await fresh.update(on: db)
                    resealed += 1
                }
                return resealed
            }
        }
        return done
    }

    /// Empties the bodies of messages finished more than `days` ago, in one statement.
    public func forgetBodies(olderThan days: Int) async throws {
        let cutoff = clock.now.addingTimeInterval(-Double(days) * 86400)
        try await OutboxMessage.query(on: database).filter(\.$status != .queued).filter(\.$createdAt < cutoff).filter(\.$content != nil)
            .set(\.$content, to: nil).update()
    }
}
