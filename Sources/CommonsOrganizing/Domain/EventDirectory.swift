import CommonsCore
import FluentKit
import Foundation
import SQLKit

/// What an organizer fills in to announce an event.
public struct EventDraft: Sendable {
    public var title: String
    public var slug: String?
    public var description: String
    public var startsAt: Date
    public var endsAt: Date
    public var timeZone: String
    public var venue: String
    public var address: String
    public var onlineURL: String?
    public var capacity: Int?
    public var status: Event.Status
    /// The member organizations co-sponsoring it; nil keeps those named.
    public var cosponsors: [UUID]?

    public init(
        title: String,
        slug: String? = nil,
        description: String,
        startsAt: Date,
        endsAt: Date,
        timeZone: String,
        venue: String = "",
        address: String = "",
        onlineURL: String? = nil,
        capacity: Int? = nil,
        status: Event.Status = .scheduled,
        cosponsors: [UUID]? = nil
    ) {
        self.title = title
        self.slug = slug
        self.description = description
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.venue = venue
        self.address = address
        self.onlineURL = onlineURL
        self.capacity = capacity
        self.status = status
        self.cosponsors = cosponsors
    }
}

/// The coalition's events.
public struct EventDirectory: Sendable {
    public static let eventsPerPage = 20
    /// Places at one event, at most; beyond it is a typing mistake (and arithmetic stays small).
    public static let maximumCapacity = 1_000_000

    let database: any Database
    let clock: Clock

    public init(database: any Database, clock: Clock) {
        self.database = database
        self.clock = clock
    }

    @discardableResult
    public func create(_ draft: EventDraft) async throws -> Event {
        try await save(draft, into: Event())
    }

    /// Changes an event, or cancels it (status `.cancelled`).
    @discardableResult
    public func update(_ id: UUID, with draft: EventDraft) async throws -> Event {
        guard let event = try await Event.find(id, on: database) else { throw OrganizingError.notFound }
        return try await save(draft, into: event)
    }

    public func event(id: UUID) async throws -> Event? {
        try await Event.find(id, on: database)
    }

    private func save(_ draft: EventDraft, into event: Event) async throws -> Event {
        var errors = ValidationErrors()
        let (title, slug) = try await TitleAndSlug.check(title: draft.title, slug: draft.slug, errors: &errors) { slug in
            let clash = try await Event.query(on: database).filter(\.$slug == slug).first()
            return clash != nil && clash?.id != event.id
        }
        if draft.endsAt < draft.startsAt { errors.add(field: "ends_at", message: "error.ends_before_start") }
        if TimeZone(identifier: draft.timeZone) == nil { errors.add(field: "time_zone", message: "error.time_zone_invalid") }
        if let capacity = draft.capacity, !(1...Self.maximumCapacity).contains(capacity) {
            errors.add(field: "capacity", message: "error.capacity_invalid")
        }
        if let url = draft.onlineURL, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            errors.add(field: "online_url", message: "error.online_url_invalid")
        }
        try errors.throwIfAny()
        event.slug = slug
        event.title = title
        event.description = draft.description
        event.startsAt = draft.startsAt
        event.endsAt = draft.endsAt
        event.timeZone = draft.timeZone
        event.venue = draft.venue
        event.address = draft.address
        event.onlineURL = draft.onlineURL
        event.capacity = draft.capacity
        event.status = draft.status
        let now = clock.now
        try await database.transaction { db in
            try await event.save(on: db)
            if let cosponsors = draft.cosponsors { try await Coalition.setCosponsors(cosponsors, event: event.requireID(), on: db) }
            try await Self.promoteFromWaitlist(event, now: now, on: db)
        }
        return event
    }

    /// Moves people off the waitlist, first come first served, while the event has room for
    /// them and their guests (after its capacity was raised or removed). Each is marked with the
    /// time, and the mail scheduler tells them (`EventNotices`).
    static func promoteFromWaitlist(_ event: Event, now: Date, on db: any Database) async throws {
        guard event.status == .scheduled, event.endsAt > now else { return }
        let eventID = try event.requireID()
        // PostgreSQL: the same lock an RSVP takes, so the two never count seats at once.
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            _ = try await sql.raw("SELECT id FROM events WHERE id = \(bind: eventID) FOR UPDATE").all()
        }
        let answers = try await Action.query(on: db).filter(\.$event.$id == eventID).filter(\.$kind == .rsvp).sort(\.$createdAt).all()
        var taken = answers.filter { !$0.waitlisted }.reduce(0) { $0 + 1 + $1.guests }
        for answer in answers where answer.waitlisted {
            if let capacity = event.capacity, taken + 1 + answer.guests > capacity { break }
            answer.waitlisted = false
            answer.promotedAt = now
            try await answer.update(on: db)
            taken += 1 + answer.guests
        }
    }

    public func event(slug: String) async throws -> Event? {
        try await Event.query(on: database).filter(\.$slug == slug).first()
    }

    /// Events not yet over, soonest first.
    public func upcoming() async throws -> [Event] {
        try await Event.query(on: database).filter(\.$endsAt >= clock.now).sort(\.$startsAt, .ascending).all()
    }

    /// Events that are over, most recent first.
    public func past() async throws -> [Event] {
        try await Event.query(on: database).filter(\.$endsAt < clock.now).sort(\.$startsAt, .descending).all()
    }

    public func all() async throws -> [Event] {
        try await Event.query(on: database).sort(\.$slug).all()
    }

    /// The RSVP a form with this one-time id sent to this event, if any.
    public func answer(formID: String, to event: Event) async throws -> Action? {
        try await Action.query(on: database).filter(\.$formToken == formID).filter(\.$event.$id == event.requireID()).first()
    }

    /// Seats taken by confirmed RSVPs (each person and their guests).
    public func seatsTaken(_ event: Event) async throws -> Int {
        try await Action.query(on: database).filter(\.$event.$id == event.requireID()).filter(\.$waitlisted == false).all(\.$guests)
            .reduce(0) { $0 + 1 + $1 }
    }
}
