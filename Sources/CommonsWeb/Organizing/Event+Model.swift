import CommonsContent
import CommonsOrganizing
import Foundation

/// An event as lists and pages show its time and place, in the event's own time zone.
struct EventSummary {
    let title: String
    let url: String
    let whenText: String
    let startISO: String
    let place: String?
    let isCancelled: Bool
    /// The day on a calendar leaf beside the title; the full date is in `whenText`.
    let badgeMonth: String
    let badgeDay: String

    init(_ event: Event, title: String? = nil, formatting: Formatting) {
        (badgeMonth, badgeDay) = formatting.dateBadge(event.startsAt, timeZone: event.timeZone)
        self.title = title ?? event.title
        url = SitePath.event(in: formatting.language, event.slug)
        whenText = formatting.eventTime(start: event.startsAt, end: event.endsAt, timeZone: event.timeZone)
        startISO = ISO8601DateFormatter().string(from: event.startsAt)
        let place = [event.venue, event.address].filter { !$0.isEmpty }.joined(separator: ", ")
        self.place = place.isEmpty ? nil : place
        isCancelled = event.status == .cancelled
    }
}

/// `/events` and `/events/past`.
struct EventList {
    let layout: Layout
    let heading: String
    let events: [EventSummary]
    let hasEvents: Bool
    let emptyText: String
    let otherListURL: String
    let otherListLabel: String
}

/// `/events/SLUG`: the event, its calendar file and its RSVP form.
struct EventShow {
    let layout: Layout
    let summary: EventSummary
    let contentLang: String?
    let untranslatedNote: String?
    let descriptionHTML: String
    let calendarURL: String
    let notice: String?
    let seatsText: String?
    let form: ActionForm?
    /// The member organizations co-sponsoring it.
    let cosponsors: [CoalitionMemberLink]
    let hasCosponsors: Bool
}
