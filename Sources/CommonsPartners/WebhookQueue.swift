import CommonsAudit
import CommonsCore
import CommonsPrivacy
import FluentKit
import Foundation
import SQLKit

/// A delivery taken from the queue to be sent, opened.
public struct ClaimedDelivery: Sendable {
    public let id: UUID
    public let webhookID: UUID
    public let url: String
    public let secret: String
    public let event: WebhookEvent
    public let body: [UInt8]
    public let attempts: Int
    public let createdAt: Date
}

/// The durable queue of webhook deliveries, on the email outbox's pattern: a delivery is a row
/// committed with the change it tells of; servers claim rows for a short lease (PostgreSQL
/// skips rows another server holds); a row is done only after the partner's 2xx. A failure is
/// retried on `RetrySchedule` for three days; a webhook that has failed for three days is
/// turned off, with the reason kept for the admins.
public struct WebhookQueue: Sendable {
    /// How long a claim holds: a batch of 10-second attempts ends well within it.
    public static let lease: TimeInterval = 120
    /// Finished deliveries are listed this long, then removed.
    public static let keptDays = 30

    let database: any Database
    let cipher: FieldCipher
    let clock: Clock

    public init(database: any Database, keys: DataKeys, clock: Clock) {
        self.database = database
        self.cipher = FieldCipher(keys: keys)
        self.clock = clock
    }

    /// Queues `body` for `webhook` on `db`, the caller's transaction.
    public func enqueue(_ event: WebhookEvent, body: String, to webhook: UUID, on db: any Database) async throws {
        let id = UUID.random()
        let delivery = WebhookDelivery()
        delivery.id = id
        delivery.$webhook.id = webhook
        delivery.event = event
        delivery.body = try cipher.seal(body, table: WebhookDelivery.schema, column: "body", rowID: id)
        delivery.status = .queued
        delivery.attempts = 0
        delivery.nextAttemptAt = clock.now
        delivery.createdAt = clock.now
        try await delivery.create(on: db)
    }

    /// Takes up to `limit` deliveries that are due, to active webhooks, not claimed elsewhere.
    public func claim(limit: Int) async throws -> [ClaimedDelivery] {
        let now = clock.now
        let rows: [WebhookDelivery] = try await database.transaction { db in
            let sql = db as! any SQLDatabase
            let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE OF d SKIP LOCKED" : ""
            let ids = try await sql.raw(
                """
                SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.status = 'queued' AND w.active AND d.next_attempt_at <= \(bind: now)
                AND (d.claimed_until IS NULL OR d.claimed_until < \(bind: now))
                ORDER BY d.next_attempt_at LIMIT \(bind: limit)\(lock)
                """
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !ids.isEmpty else { return [] }
            try await WebhookDelivery.query(on: db).filter(\.$id ~~ ids).set(\.$claimedUntil, to: now.addingTimeInterval(Self.lease)).update()
            return try await WebhookDelivery.query(on: db).filter(\.$id ~~ ids).with(\.$webhook).sort(\.$nextAttemptAt).all()
        }
        return try rows.compactMap { row in
            let id = try row.requireID()
            guard let body = row.body else { return nil }
            let webhook = row.webhook
            let webhookID = try webhook.requireID()
            return ClaimedDelivery(
                id: id,
                webhookID: webhookID,
                url: webhook.url,
                secret: try cipher.open(webhook.secret, table: Webhook.schema, column: "secret", rowID: webhookID),
                event: row.event,
                body: Array(try cipher.open(body, table: WebhookDelivery.schema, column: "body", rowID: id).utf8),
                attempts: row.attempts,
                createdAt: row.createdAt
            )
        }
    }

    /// The partner answered 2xx: done, its body forgotten, the webhook no longer failing.
    public func delivered(_ delivery: ClaimedDelivery, status: Int) async throws {
        let now = clock.now
        try await database.transaction { db in
            try await WebhookDelivery.query(on: db).filter(\.$id == delivery.id)
                .set(\.$status, to: .delivered).set(\.$responseCode, to: status).set(\.$finishedAt, to: now).set(\.$body, to: nil)
                .set(\.$claimedUntil, to: nil).set(\.$attempts, to: delivery.attempts + 1).set(\.$lastError, to: nil).update()
            try await Webhook.query(on: db).filter(\.$id == delivery.webhookID).set(\.$failingSince, to: nil).update()
        }
    }

    /// Any other outcome (an answer that is not 2xx, a timeout, an address refused): tried again
    /// later, or given up after three days; a webhook failing for three days is turned off.
    public func failed(_ delivery: ClaimedDelivery, status: Int?, reason: String) async throws {
        let now = clock.now
        let attempts = delivery.attempts + 1
        let next = RetrySchedule.next(afterAttempt: attempts, queuedAt: delivery.createdAt, now: now)
        try await database.transaction { db in
            var update = WebhookDelivery.query(on: db).filter(\.$id == delivery.id)
                .set(\.$attempts, to: attempts).set(\.$responseCode, to: status).set(\.$lastError, to: reason).set(\.$claimedUntil, to: nil)
            if let next {
                update = update.set(\.$nextAttemptAt, to: next)
            } else {
                update = update.set(\.$status, to: .failed).set(\.$finishedAt, to: now).set(\.$body, to: nil)
            }
            try await update.update()
            guard let webhook = try await Webhook.find(delivery.webhookID, on: db), webhook.active else { return }
            let since = webhook.failingSince ?? now
            webhook.failingSince = since
            if now.timeIntervalSince(since) >= RetrySchedule.retryFor {
                webhook.active = false
                webhook.disabledAt = now
                webhook.disabledReason = reason
                try await WebhookDelivery.query(on: db).filter(\.$webhook.$id == delivery.webhookID).filter(\.$status == .queued)
                    .set(\.$status, to: .failed).set(\.$finishedAt, to: now).set(\.$body, to: nil).set(\.$lastError, to: "webhook turned off")
                    .update()
                try await AuditLog(database: db).record(
                    "webhook.disabled",
                    by: .system("webhook delivery"),
                    subjectType: "webhook",
                    subjectID: delivery.webhookID.uuidString,
                    detail: "failing since \(since.formatted(.iso8601))",
                    at: now
                )
            }
            try await webhook.update(on: db)
        }
    }

    /// Gives back every claim (a lone SQLite server starting again after a crash).
    public func releaseClaims() async throws {
        try await WebhookDelivery.query(on: database).filter(\.$status == .queued).set(\.$claimedUntil, to: nil).update()
    }

    /// Removes finished deliveries older than `keptDays`.
    public func forgetFinished() async throws {
        let cutoff = clock.now.addingTimeInterval(-Double(Self.keptDays) * 86_400)
        try await WebhookDelivery.query(on: database).filter(\.$status != .queued).filter(\.$createdAt < cutoff).delete()
    }
}
