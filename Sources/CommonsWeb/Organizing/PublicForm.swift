import CommonsContent
import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import Foundation
import Hummingbird

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
    /// An embedded form: its `via` field names the member organization whose page framed it.
    var takesVia = false

    /// Faster than a person fills a form: a bot. It sees the thanks page and nothing is stored.
    static let minimumFillTime: TimeInterval = 3
    /// A form open longer than this is shown again with a fresh token.
    static let maximumFormAge: TimeInterval = 48 * 3600
    /// The field people never see; only bots fill it in.
    static let honeypotField = "website"
}

/// The public form flow, one for every public form (campaign sign-ups, petitions, event RSVPs).
extension Site {
    /// The one way a public form is answered: rate limit → one-time token → validation → the
    /// domain call → 303 to the thanks page; or the form again with 422 (values kept, each error
    /// beside its field), 410 when it no longer takes answers, 429 when one client sent too many.
    /// A bot (the hidden field filled, or sent faster than a person can type) is thanked and dropped.
    func answer(_ form: PublicForm, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let wait = await formLimiter.check(context.clientAddress ?? "unknown") { return try await tooManyRequests(wait, context) }
        guard form.takesAnswers else { return try await form.page([:], ValidationErrors(), .gone) }
        let fields = try await request.formFields(context: context)
        let thanks = { (formID: String?) in Response.redirect(to: SitePath.localized(form.thanksURL(formID), in: context.language), type: .normal) }
        switch checkFormToken(fields) {
        case .bot:
            return thanks(nil)
        case .invalid:
            return try await form.page(fields, ValidationErrors(field: "form", message: "form.expired"), .unprocessableContent)
        case .valid(let tokenID):
            var submission: ActionSubmission
            do {
                submission = try formSubmission(
                    fields,
                    asked: form.asked,
                    required: form.required,
                    tokenID: tokenID,
                    guests: form.asksGuests,
                    language: context.language
                )
            } catch let errors as ValidationErrors {
                return try await form.page(fields, errors, .unprocessableContent)
            }
            if form.takesVia, let slug = fields["via"], Slug.isValid(slug) { submission.via = try await coalition.member(slug: slug)?.id }
            do {
                try await form.record(submission)
            } catch ActionError.campaignClosed, ActionError.eventCancelled, ActionError.eventPast {
                return try await form.page([:], ValidationErrors(), .gone)
            }
            return thanks(tokenID)
        }
    }

    enum FormTokenCheck {
        case valid(String)
        case invalid
        case bot
    }

    /// Honeypot, signature, and timing of the form's one-time token.
    func checkFormToken(_ fields: [String: String]) -> FormTokenCheck {
        if let trap = fields[PublicForm.honeypotField], !trap.isEmpty { return .bot }
        guard let raw = fields["form_token"], let token = formTokens.verify(raw) else { return .invalid }
        let age = clock.now.timeIntervalSince(token.issuedAt)
        if age < PublicForm.minimumFillTime { return .bot }
        if age > PublicForm.maximumFormAge { return .invalid }
        return .valid(token.id)
    }

    func formSubmission(
        _ fields: [String: String],
        asked: Set<PersonField>,
        required: Set<PersonField>,
        tokenID: String,
        guests: Bool,
        language: Language
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
            guests: guestCount,
            language: language.code
        )
    }

    func tooManyRequests(_ wait: Int, _ context: AppRequestContext) async throws -> Response {
        let strings = strings(context.language)
        let layout = try await layout(PageMeta(title: strings["page.too_many_title"], path: "/"), context: context)
        let model = ErrorPage(
            layout: layout,
            heading: strings["page.too_many_title"],
            text: strings["page.too_many_text"],
            homeURL: context.link(SitePath.home),
            newsURL: context.link(SitePath.news)
        )
        var response = views.page(.error, model, status: .tooManyRequests)
        response.headers[.retryAfter] = String(wait)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

extension Site {
    /// The frame of a page that carries a public form (a campaign, an event): its words in the
    /// reader's language, and the layout, titled "Error: …" while the form is shown again with
    /// errors so a screen reader hears it first.
    func formPage(
        _ subject: ContentTranslation.Subject,
        id: UUID?,
        title: String,
        descriptionHTML: String,
        path: String,
        errors: ValidationErrors,
        context: AppRequestContext
    ) async throws -> (words: TranslatedText, layout: Layout) {
        let words = try await translated(subject, id: id, title: title, descriptionHTML: descriptionHTML, language: context.language)
        let meta = PageMeta(
            title: errors.isEmpty ? words.title : strings(context.language).format("form.error_title", ["title": words.title]),
            description: words.bodyText,
            path: path
        )
        return (words, try await layout(meta, context: context))
    }
}

extension Site {
    /// The campaign a sign-up form posts to, looked up once per content version (see
    /// `ContentLookups`); with the page cache turned off, every time.
    func formCampaign(slug: String) async throws -> Campaign? {
        guard let version = await pageCache?.currentVersion() else { return try await campaigns.campaign(slug: slug) }
        return try await contentLookups.value("campaign:\(slug)", version: version) { try await campaigns.campaign(slug: slug) }
    }
}
