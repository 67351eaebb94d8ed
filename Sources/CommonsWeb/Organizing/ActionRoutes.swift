import CommonsContent
import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import Foundation
import Hummingbird

/// Campaigns and events: their pages, their forms, and what happens when someone sends one.
struct ActionRoutes {
    let site: Site

    /// Faster than a person fills a form: a bot. It sees the thanks page and nothing is stored.
    static let minimumFillTime: TimeInterval = 3
    /// A form open longer than this is shown again with a fresh token.
    static let maximumFormAge: TimeInterval = 48 * 3600
    /// The field people never see; only bots fill it in.
    static let honeypotField = "website"

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.campaign) { _, context in try await campaignPage(slug: context.parameters.require("slug"), context) }
        router.post(SitePath.campaign) { request, context in try await sign(slug: context.parameters.require("slug"), request, context) }
        router.get(SitePath.campaignThanks) { _, context in try await campaignThanks(slug: context.parameters.require("slug"), context) }
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

    // MARK: Campaigns

    func campaignPage(
        slug: String,
        _ context: AppRequestContext,
        values: [String: String] = [:],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let campaign = try await site.campaigns.campaign(slug: slug) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        let form =
            campaign.status == .open
            ? ActionForm(
                action: SitePath.localized(SitePath.campaign(slug), in: context.language),
                token: site.formTokens.issue(at: site.clock.now),
                asked: campaign.asked,
                required: campaign.required,
                includeGuests: false,
                values: values,
                errors: errors,
                submitLabel: strings[campaign.kind == .petition ? "form.sign" : "form.join"],
                strings: strings,
                language: context.language
            )
            : nil
        let signatures = campaign.kind == .petition ? try await site.campaigns.actionCount(for: campaign) : 0
        let words = try await site.translated(
            .campaign,
            id: campaign.id,
            title: campaign.title,
            descriptionHTML: campaign.descriptionHTML,
            language: context.language
        )
        let meta = PageMeta(
            title: errors.isEmpty ? words.title : strings.format("form.error_title", ["title": words.title]),
            description: words.bodyText,
            path: SitePath.campaign(slug)
        )
        let layout = try await site.layout(meta, context: context)
        // Not shared-cacheable: the form carries a one-time token (the default is private, no-store).
        return site.views.page(
            .campaignShow,
            CampaignShow(campaign, words: words, signatures: signatures, form: form, layout: layout, formatting: site.formatting(context.language)),
            status: status
        )
    }

    func sign(slug: String, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let campaign = try await site.campaigns.campaign(slug: slug) else { throw SiteError.notFound }
        let form = PublicForm(
            takesAnswers: campaign.status == .open,
            asked: campaign.asked,
            required: campaign.required,
            asksGuests: false,
            page: { values, errors, status in try await campaignPage(slug: slug, context, values: values, errors: errors, status: status) },
            thanksURL: { _ in SitePath.campaignThanks(slug) },
            record: { submission in _ = try await site.actionDesk.sign(campaign, submission) }
        )
        return try await answer(form, request, context)
    }

    func campaignThanks(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let campaign = try await site.campaigns.campaign(slug: slug) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        let locale = Locale(identifier: context.language.localeIdentifier)
        let detail: String? =
            campaign.kind == .petition
            ? strings.format("campaign.signatures", ["count": try await site.campaigns.actionCount(for: campaign).formatted(.number.locale(locale))])
            : nil
        let layout = try await site.layout(PageMeta(title: strings["thanks.title"], path: SitePath.campaignThanks(slug)), context: context)
        let model = ThanksPage(
            layout: layout,
            heading: strings["thanks.title"],
            message: campaign.thankYou.isEmpty ? strings["thanks.default"] : campaign.thankYou,
            detail: detail,
            onlineURL: nil,
            backURL: SitePath.localized(SitePath.campaign(slug), in: context.language),
            backLabel: strings.format("thanks.back", ["title": campaign.title])
        )
        return site.views.page(.thanks, model)
    }

    // MARK: Events

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
        status: HTTPResponse.Status = .ok
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
        let form =
            notice == nil
            ? ActionForm(
                action: SitePath.localized(SitePath.event(slug), in: context.language),
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
        let words = try await site.translated(
            .event,
            id: event.id,
            title: event.title,
            descriptionHTML: event.descriptionHTML,
            language: context.language
        )
        let meta = PageMeta(
            title: errors.isEmpty ? words.title : strings.format("form.error_title", ["title": words.title]),
            description: words.bodyText,
            path: SitePath.event(slug)
        )
        let layout = try await site.layout(meta, context: context)
        let model = EventShow(
            layout: layout,
            summary: EventSummary(event, title: words.title, formatting: formatting),
            contentLang: words.contentLang,
            untranslatedNote: words.untranslatedNote,
            descriptionHTML: words.bodyHTML,
            calendarURL: SitePath.eventCalendar(slug),
            notice: notice,
            seatsText: seatsText,
            form: form
        )
        return site.views.page(.eventShow, model, status: status)
    }

    func rsvp(slug: String, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let event = try await site.events.event(slug: slug) else { throw SiteError.notFound }
        let form = PublicForm(
            takesAnswers: event.status == .scheduled && event.endsAt > site.clock.now,
            asked: [.phone],
            required: [],
            asksGuests: true,
            page: { values, errors, status in try await eventPage(slug: slug, context, values: values, errors: errors, status: status) },
            // The thanks page names the answer's one-time id, so only who answered sees the online link.
            thanksURL: { formID in SitePath.eventThanks(slug, formID: formID ?? "-") },
            record: { submission in _ = try await site.actionDesk.rsvp(event, submission) }
        )
        return try await answer(form, request, context)
    }

    /// A public form: what it asks, how to show its page again, where to thank, and the one
    /// domain call that records an answer.
    struct PublicForm {
        /// False once the campaign closed or the event is cancelled or over: 410.
        let takesAnswers: Bool
        let asked: Set<PersonField>
        let required: Set<PersonField>
        let asksGuests: Bool
        let page: (_ values: [String: String], _ errors: ValidationErrors, _ status: HTTPResponse.Status) async throws -> Response
        let thanksURL: (_ formID: String?) -> String
        let record: (ActionSubmission) async throws -> Void
    }

    /// The one way a public form is answered: rate limit → one-time token → validation → the
    /// domain call → 303 to the thanks page; or the form again with 422 (values kept, each error
    /// beside its field), 410 when it no longer takes answers, 429 when one client sent too many.
    /// A bot (the hidden field filled, or sent faster than a person can type) is thanked and dropped.
    func answer(_ form: PublicForm, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let wait = await site.formLimiter.check(context.clientAddress ?? "unknown") { return try await tooManyRequests(wait, context) }
        guard form.takesAnswers else { return try await form.page([:], ValidationErrors(), .gone) }
        let fields = try await request.formFields(context: context)
        let thanks = { (formID: String?) in Response.redirect(to: SitePath.localized(form.thanksURL(formID), in: context.language), type: .normal) }
        switch checkToken(fields) {
        case .bot:
            return thanks(nil)
        case .invalid:
            return try await form.page(fields, ValidationErrors(field: "form", message: "form.expired"), .unprocessableContent)
        case .valid(let tokenID):
            let submission: ActionSubmission
            do {
                submission = try self.submission(fields, asked: form.asked, required: form.required, tokenID: tokenID, guests: form.asksGuests)
            } catch let errors as ValidationErrors {
                return try await form.page(fields, errors, .unprocessableContent)
            }
            do {
                try await form.record(submission)
            } catch ActionError.campaignClosed, ActionError.eventCancelled, ActionError.eventPast {
                return try await form.page([:], ValidationErrors(), .gone)
            }
            return thanks(tokenID)
        }
    }

    func eventThanks(slug: String, formID: String?, _ context: AppRequestContext) async throws -> Response {
        guard let event = try await site.events.event(slug: slug) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        var answer: Action?
        if let formID { answer = try await site.events.answer(formID: formID, to: event) }
        let waitlisted = answer?.waitlisted == true
        let layout = try await site.layout(
            PageMeta(title: strings["thanks.title"], path: SitePath.event(slug) + "/thanks"),
            context: context
        )
        let model = ThanksPage(
            layout: layout,
            heading: strings[waitlisted ? "events.waitlisted_title" : "thanks.title"],
            message: strings[waitlisted ? "events.waitlisted" : "events.confirmed"],
            detail: EventSummary(event, formatting: site.formatting(context.language)).whenText,
            onlineURL: answer != nil && !waitlisted ? event.onlineURL : nil,
            backURL: SitePath.localized(SitePath.event(slug), in: context.language),
            backLabel: strings.format("thanks.back", ["title": event.title])
        )
        return site.views.page(.thanks, model)
    }

    func calendar(slug: String) async throws -> Response {
        guard let event = try await site.events.event(slug: slug) else { throw SiteError.notFound }
        let text = EventCalendar.ics(for: event, url: site.settings.baseURL + SitePath.event(slug), now: site.clock.now)
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(slug).ics\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text))).sharedCacheable()
    }

    // MARK: Shared

    enum TokenCheck {
        case valid(String)
        case invalid
        case bot
    }

    /// Honeypot, signature, and timing of the form's one-time token.
    func checkToken(_ fields: [String: String]) -> TokenCheck {
        if let trap = fields[Self.honeypotField], !trap.isEmpty { return .bot }
        guard let raw = fields["form_token"], let token = site.formTokens.verify(raw) else { return .invalid }
        let age = site.clock.now.timeIntervalSince(token.issuedAt)
        if age < Self.minimumFillTime { return .bot }
        if age > Self.maximumFormAge { return .invalid }
        return .valid(token.id)
    }

    func submission(
        _ fields: [String: String],
        asked: Set<PersonField>,
        required: Set<PersonField>,
        tokenID: String,
        guests: Bool
    ) throws -> ActionSubmission {
        var errors = ValidationErrors()
        var person = Person()
        do {
            person = try PersonForm.validate(fields, asked: asked, required: required)
        } catch let problems as ValidationErrors {
            errors = problems
        }
        var guestCount = 0
        if guests, let raw = fields["guests"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let count = Int(raw), (0...ActionDesk.maximumGuests).contains(count) {
                guestCount = count
            } else {
                errors.add(field: "guests", message: "error.guests_invalid")
            }
        }
        try errors.throwIfAny()
        return ActionSubmission(
            person: person,
            emailOptIn: fields["email_opt_in"] == "yes",
            smsOptIn: fields["sms_opt_in"] == "yes",
            formToken: tokenID,
            guests: guestCount
        )
    }

    func tooManyRequests(_ wait: Int, _ context: AppRequestContext) async throws -> Response {
        let strings = site.strings(context.language)
        let layout = try await site.layout(PageMeta(title: strings["page.too_many_title"], path: "/"), context: context)
        let model = ErrorPage(
            layout: layout,
            heading: strings["page.too_many_title"],
            text: strings["page.too_many_text"],
            homeURL: SitePath.localized(SitePath.home(), in: context.language),
            newsURL: SitePath.localized(SitePath.news(), in: context.language)
        )
        var response = site.views.page(.error, model, status: .tooManyRequests)
        response.headers[.retryAfter] = String(wait)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
