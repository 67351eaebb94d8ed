import CommonsContent
import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import Foundation
import Hummingbird

/// Events: the upcoming and past lists, an event's page and RSVP form, its thanks page and calendar file.
struct EventRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.events) { _, context in try await eventList(past: false, context) }
        router.get(SitePath.pastEvents) { _, context in try await eventList(past: true, context) }
        router.get(SitePath.event) { _, context in
            let slug = try context.parameters.require("slug")
            if slug.hasSuffix(".ics") { return try await calendar(slug: String(slug.dropLast(4))) }
            return try await eventPage(slug: slug, context)
        }
        router.post(SitePath.event) { request, context in try await rsvp(slug: context.parameters.require("slug"), request, context) }
        router.get(SitePath.eventThanks) { request, context in
            try await eventThanks(slug: context.parameters.require("slug"), formID: request.formQueryValue("r"), context)
        }
    }

    func eventList(past: Bool, _ context: AppRequestContext) async throws -> Response {
        let strings = site.strings(context.language)
        let events = past ? try await site.events.past() : try await site.events.upcoming()
        let formatting = site.formatting(context.language)
        let heading = strings[past ? "events.past_title" : "events.title"]
        let layout = try await site.layout(PageMeta(title: heading, path: past ? SitePath.pastEvents() : SitePath.events()), context: context)
        let model = EventList(
            layout: layout,
            heading: heading,
            events: events.map { EventSummary($0, formatting: formatting) },
            hasEvents: !events.isEmpty,
            emptyText: strings[past ? "events.no_past" : "events.none"],
            otherListURL: SitePath.localized(past ? SitePath.events() : SitePath.pastEvents(), in: context.language),
            otherListLabel: strings[past ? "events.upcoming_link" : "events.past_link"]
        )
        return site.views.page(.eventList, model).sharedCacheable()
    }

    func eventPage(
        slug: String,
        _ context: AppRequestContext,
        values: [String: String] = [:],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        frame: EmbedFrame? = nil
    ) async throws -> Response {
        guard let event = try await site.events.event(slug: slug) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        let isPast = event.endsAt <= site.clock.now
        let notice: String? = event.status == .cancelled ? strings["events.cancelled"] : (isPast ? strings["events.past"] : nil)
        var seatsText: String?
        if let capacity = event.capacity, notice == nil {
            let left = max(0, capacity - (try await site.events.seatsTaken(event)))
            seatsText = left > 0 ? strings.format("events.seats_left", ["count": String(left)]) : strings["events.full"]
        }
        var form =
            notice == nil
            ? ActionForm(
                action: context.link(frame == nil ? SitePath.event : SitePath.embedEvent, slug),
                token: site.formTokens.issue(at: site.clock.now),
                asked: [.phone],
                required: [],
                includeGuests: true,
                values: values,
                errors: errors,
                submitLabel: strings["form.rsvp"],
                strings: strings,
                language: context.language
            )
            : nil
        form?.via = frame?.via ?? (frame == nil ? nil : values["via"])
        let (words, layout) = try await site.formPage(
            .event,
            id: event.id,
            title: event.title,
            descriptionHTML: event.descriptionHTML,
            path: SitePath.event(slug),
            errors: errors,
            context: context
        )
        let cosponsors =
            frame == nil
            ? try await site.coalition.cosponsors(ofEvent: event.requireID()).map { CoalitionMemberLink($0, language: context.language) } : []
        let model = EventShow(
            layout: layout,
            summary: EventSummary(event, title: words.title, formatting: formatting),
            contentLang: words.contentLang,
            untranslatedNote: words.untranslatedNote,
            descriptionHTML: words.bodyHTML,
            calendarURL: SitePath.eventCalendar(slug),
            notice: notice,
            seatsText: seatsText,
            form: form,
            cosponsors: cosponsors,
            hasCosponsors: !cosponsors.isEmpty
        )
        guard let frame else { return site.views.page(.eventShow, model, status: status) }
        return frame.framed(site.views.page(.embedEvent, model, status: status))
    }

    func rsvp(slug: String, _ request: Request, _ context: AppRequestContext, frame: EmbedFrame? = nil) async throws -> Response {
        guard let event = try await site.events.event(slug: slug) else { throw SiteError.notFound }
        let form = PublicForm(
            takesAnswers: event.status == .scheduled && event.endsAt > site.clock.now,
            asked: [.phone],
            required: [],
            asksGuests: true,
            page: { values, errors, status in
                try await eventPage(slug: slug, context, values: values, errors: errors, status: status, frame: frame)
            },
            // The thanks page names the answer's one-time id, so only who answered sees the online link.
            thanksURL: { formID in
                frame == nil ? SitePath.eventThanks(slug, formID: formID ?? "-") : SitePath.embedEventThanks(slug, formID: formID ?? "-")
            },
            record: { submission in _ = try await site.actionDesk.rsvp(event, submission) },
            takesVia: frame != nil
        )
        return try await site.answer(form, request, context)
    }

    func eventThanks(slug: String, formID: String?, _ context: AppRequestContext, frame: EmbedFrame? = nil) async throws -> Response {
        guard let event = try await site.events.event(slug: slug) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        var answer: Action?
        if let formID { answer = try await site.events.answer(formID: formID, to: event) }
        let waitlisted = answer?.waitlisted == true
        let layout = try await site.layout(
            PageMeta(title: strings["thanks.title"], path: frame == nil ? SitePath.eventThanks(slug) : SitePath.embedEventThanks(slug)),
            context: context
        )
        let model = ThanksPage(
            layout: layout,
            heading: strings[waitlisted ? "events.waitlisted_title" : "thanks.title"],
            message: strings[waitlisted ? "events.waitlisted" : "events.confirmed"],
            detail: EventSummary(event, formatting: site.formatting(context.language)).whenText,
            onlineURL: answer != nil && !waitlisted ? event.onlineURL : nil,
            backURL: context.link(frame == nil ? SitePath.event : SitePath.embedEvent, slug),
            backLabel: strings.format("thanks.back", ["title": event.title])
        )
        guard let frame else { return site.views.page(.thanks, model) }
        return frame.framed(site.views.page(.embedThanks, model))
    }

    func calendar(slug: String) async throws -> Response {
        guard let event = try await site.events.event(slug: slug) else { throw SiteError.notFound }
        let text = EventCalendar.ics(for: event, url: site.settings.baseURL + SitePath.event(slug), now: site.clock.now)
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(slug).ics\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text))).sharedCacheable()
    }
}
