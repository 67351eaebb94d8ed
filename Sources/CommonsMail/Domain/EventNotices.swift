import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import FluentKit
import Foundation

/// A message an event owes one of its RSVPs.
public struct EventNotice: Sendable {
    public let kind: OutboxMessage.Kind
    public let event: Event
    public let supporterID: UUID
    public let address: String
    public let name: String?
    public let language: String?
    /// Queued at most once per RSVP and kind.
    public let dedupeKey: String
}

/// Finds the reminders and notices that are due: a reminder from 24 hours before an event
/// starts until it starts, for confirmed RSVPs of a scheduled event; a notice to every RSVP of
/// an event cancelled before it began; a notice to each person moved off the waitlist of an
/// event still to come. Each goes to the address the person gave on their RSVP, in the
/// language of the page they used.
public struct EventNotices: Sendable {
    public static let reminderLead: TimeInterval = 24 * 3600

    let database: any Database
    let vault: SupporterVault
    let clock: Clock

    public init(database: any Database, keys: DataKeys, clock: Clock) {
        self.database = database
        self.vault = SupporterVault(keys: keys)
        self.clock = clock
    }

    public func due() async throws -> [EventNotice] {
        let now = clock.now
        let soon = try await Event.query(on: database).filter(\.$status == .scheduled)
            .filter(\.$startsAt > now).filter(\.$startsAt <= now.addingTimeInterval(Self.reminderLead)).all()
        let cancelled = try await Event.query(on: database).filter(\.$status == .cancelled).filter(\.$startsAt > now).all()
        var notices: [EventNotice] = []
        for (kind, events) in [(OutboxMessage.Kind.reminder, soon), (.cancellation, cancelled)] {
            for event in events {
                notices += try await owed(kind, for: event)
            }
        }
        // Promotions of the last week (older ones were told long ago), grouped by event.
        let promoted = try await Action.query(on: database).filter(\.$kind == .rsvp).filter(\.$promotedAt >= now.addingTimeInterval(-7 * 86400))
            .filter(\.$waitlisted == false).all()
        for eventID in Set(promoted.compactMap { $0.$event.id }) {
            guard let event = try await Event.find(eventID, on: database), event.status == .scheduled, event.startsAt > now else { continue }
            notices += try await owed(.waitlistPromotion, for: event, only: Set(promoted.filter { $0.$event.id == eventID }.compactMap(\.id)))
        }
        return notices
    }

    private func owed(_ kind: OutboxMessage.Kind, for event: Event, only: Set<UUID>? = nil) async throws -> [EventNotice] {
        let eventID = try event.requireID()
        let prefix = "\(kind.rawValue):\(eventID.uuidString.lowercased()):"
        // Keys of one event sort together: one range read finds those already queued.
        let queued = Set(
            try await OutboxMessage.query(on: database).filter(\.$dedupeKey >= prefix).filter(\.$dedupeKey < prefix + "~").all().compactMap(
                \.dedupeKey
            )
        )
        var actions = Action.query(on: database).filter(\.$event.$id == eventID).filter(\.$kind == .rsvp)
        if kind == .reminder { actions = actions.filter(\.$waitlisted == false) }
        var notices: [EventNotice] = []
        if let only { actions = actions.filter(\.$id ~~ only) }
        for action in try await actions.with(\.$supporter).all() {
            let key = prefix + (try action.requireID().uuidString.lowercased())
            guard !queued.contains(key) else { continue }
            let stored = try vault.open(action.supporter)
            let submitted = try vault.submission(of: action)
            guard let address = submitted?.email ?? stored.email else { continue }
            notices.append(
                EventNotice(
                    kind: kind,
                    event: event,
                    supporterID: try action.supporter.requireID(),
                    address: address,
                    name: submitted?.givenName ?? stored.givenName,
                    language: action.language ?? stored.preferredLanguage,
                    dedupeKey: key
                )
            )
        }
        return notices
    }
}
