import FluentKit
import Foundation
import SQLKit

/// What the staff dashboard says about campaigns and events: counts only, never a person.
public struct OrganizingFigures: Sendable {
    /// One open campaign's actions (sign-ups or signatures), as its page counts them.
    public struct CampaignFigures: Sendable, Equatable {
        public let title: String
        public let slug: String
        public let id: UUID
        public let kind: Campaign.Kind
        public let goal: Int?
        public let total: Int
        /// One count per day asked for, oldest first; the last is today.
        public let daily: [Int]
    }

    /// One coming event's answers.
    public struct EventFigures: Sendable, Equatable {
        public let title: String
        public let slug: String
        public let id: UUID
        public let startsAt: Date
        public let endsAt: Date
        public let timeZone: String
        public let capacity: Int?
        /// Seats taken: each answer not on the waitlist with its guests.
        public let seats: Int
        public let waitlisted: Int
    }

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Every open campaign with its total and its counts per day.
    /// - Parameter days: the starts of the days to count, oldest first, then the end of the last
    ///   (midnights in the coalition's zone: `days.count - 1` days).
    public func openCampaigns(days: [Date]) async throws -> [CampaignFigures] {
        let campaigns = try await Campaign.query(on: database).filter(\.$status == .open).sort(\.$title).all()
        guard !campaigns.isEmpty, days.count >= 2, let sql = database as? any SQLDatabase else { return [] }
        // One pass over the open campaigns' actions: their total, and a sum for each day.
        var query: SQLQueryString = "SELECT campaign_id, COUNT(*) AS total"
        for index in 0..<(days.count - 1) {
            query +=
                ", SUM(CASE WHEN created_at >= \(bind: days[index]) AND created_at < \(bind: days[index + 1]) THEN 1 ELSE 0 END) AS d\(unsafeRaw: String(index))"
        }
        let ids = try campaigns.map { try $0.requireID() }
        query += " FROM \(ident: Action.schema) WHERE campaign_id IN (\(binds: ids)) GROUP BY campaign_id"
        var totals: [UUID: Int] = [:]
        var daily: [UUID: [Int]] = [:]
        for row in try await sql.raw(query).all() {
            let id = try row.decode(column: "campaign_id", as: UUID.self)
            totals[id] = try row.decode(column: "total", as: Int.self)
            daily[id] = try (0..<(days.count - 1)).map { try row.decode(column: "d\($0)", as: Int?.self) ?? 0 }
        }
        return try campaigns.map { campaign in
            let id = try campaign.requireID()
            return CampaignFigures(
                title: campaign.title,
                slug: campaign.slug,
                id: id,
                kind: campaign.kind,
                goal: campaign.goal,
                total: totals[id] ?? 0,
                daily: daily[id] ?? Array(repeating: 0, count: days.count - 1)
            )
        }
    }

    /// The next events not yet over and not cancelled, soonest first.
    public func nextEvents(after now: Date, limit: Int) async throws -> [EventFigures] {
        let events = try await Event.query(on: database)
            .filter(\.$endsAt >= now).filter(\.$status != .cancelled).sort(\.$startsAt, .ascending).limit(limit).all()
        var result: [EventFigures] = []
        for event in events {
            let id = try event.requireID()
            let answers = try await Action.query(on: database).filter(\.$event.$id == id).field(\.$guests).field(\.$waitlisted).all()
                .map { ($0.guests, $0.waitlisted) }
            result.append(
                EventFigures(
                    title: event.title,
                    slug: event.slug,
                    id: id,
                    startsAt: event.startsAt,
                    endsAt: event.endsAt,
                    timeZone: event.timeZone,
                    capacity: event.capacity,
                    seats: answers.filter { !$0.1 }.reduce(0) { $0 + 1 + $1.0 },
                    waitlisted: answers.filter(\.1).count
                )
            )
        }
        return result
    }
}
