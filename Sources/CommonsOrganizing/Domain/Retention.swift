import CommonsAudit
import CommonsCore
import FluentKit
import Foundation
import SQLKit

/// How long Commons keeps what people gave it, and the purge that enforces it.
public struct RetentionPolicy: Sendable, Equatable {
    /// RSVPs are deleted this many days after their event ended.
    public var rsvpDays: Int
    /// A supporter with no new action for this many months is deleted, with everything about them.
    public var supporterMonths: Int

    public init(rsvpDays: Int = 90, supporterMonths: Int = 36) {
        self.rsvpDays = rsvpDays
        self.supporterMonths = supporterMonths
    }
}

/// What a purge deleted.
public struct PurgeReport: Sendable, Equatable {
    public let rsvps: Int
    public let supporters: Int
}

/// Deletes what the retention policy says has expired.
public struct Retention: Sendable {
    let database: any Database
    let clock: Clock

    public init(database: any Database, clock: Clock) {
        self.database = database
        self.clock = clock
    }

    /// Deletes what has expired and records the counts in the audit log, in one transaction.
    public func purge(_ policy: RetentionPolicy, by actor: AuditActor) async throws -> PurgeReport {
        let now = clock.now
        let eventsEndedBefore = now.addingTimeInterval(-Double(policy.rsvpDays) * 86400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let inactiveSince = calendar.date(byAdding: .month, value: -policy.supporterMonths, to: now)!
        let report = try await database.transaction { db in
            let oldEvents = try await Event.query(on: db).filter(\.$endsAt < eventsEndedBefore).all(\.$id)
            var rsvps = 0
            if !oldEvents.isEmpty {
                let expired = Action.query(on: db).filter(\.$kind == .rsvp).filter(\.$event.$id ~~ oldEvents)
                rsvps = try await expired.count()
                try await Action.query(on: db).filter(\.$kind == .rsvp).filter(\.$event.$id ~~ oldEvents).delete()
            }
            let stale = try await Supporter.query(on: db).filter(\.$lastActionAt < inactiveSince).all(\.$id)
            if !stale.isEmpty {
                try await SupporterTag.query(on: db).filter(\.$supporter.$id ~~ stale).delete()
                try await Action.query(on: db).filter(\.$supporter.$id ~~ stale).delete()
                try await SupporterChange.query(on: db).filter(\.$supporterID ~~ stale).delete()
                try await Supporter.query(on: db).filter(\.$id ~~ stale).delete()
            }
            try await AuditLog(database: db).record(
                "retention.purged",
                by: actor,
                detail: "rsvps=\(rsvps) supporters=\(stale.count)",
                at: now
            )
            return PurgeReport(rsvps: rsvps, supporters: stale.count)
        }
        try await Self.scrubFreedPages(database)
        return report
    }

    /// With `secure_delete` SQLite zeroes deleted values in the database file, but the
    /// write-ahead log still holds the pages as they were until a checkpoint: this moves
    /// everything into the file and empties the log, so deleted values leave the disk.
    public static func scrubFreedPages(_ database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
    }
}
