import CommonsCore
import CommonsMail
import CommonsOrganizing
import CommonsPrivacy
import Crypto
import Foundation
import Hummingbird

/// A supporter's own data in their own hands. `/my-data` asks for a link by email: whatever is
/// typed, the answer is the same page after the same time. The link's page has one button
/// (mail scanners open links by themselves; a GET never uses it up), and the button starts a
/// 30-minute session with its own cookie, in which `/my-data` shows everything held about the
/// person and `/my-data/export.json` downloads it.
struct MyDataRoutes {
    let site: Site

    static let cookieName = "commons_my_data"
    /// No answer to a request for a link comes sooner: a known address (a link made, a message
    /// queued) and an unknown one look the same from outside.
    static let answerTime: Duration = .milliseconds(800)

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.myData) { request, context in
            let done = request.formQueryValue("done").flatMap { ["corrected", "news"].contains($0) ? "mydata.saved_\($0)" : nil }
            return try await page(request, context, notice: done)
        }
        router.post(SitePath.myData) { request, context in try await ask(request, context) }
        router.get(SitePath.myDataExport) { request, context in try await export(request, context) }
        router.post(SitePath.myDataCorrect) { request, context in try await correct(request, context) }
        router.post(SitePath.myDataNews) { request, context in try await news(request, context) }
        router.get(SitePath.myDataErase) { request, context in try await eraseConfirmation(request, context) }
        router.post(SitePath.myDataErase) { request, context in try await erase(request, context) }
        router.get(SitePath.myDataLink) { _, context in try await linkPage(token: context.parameters.require("token"), context) }
        router.post(SitePath.myDataLink) { _, context in try await open(token: context.parameters.require("token"), context) }
    }

    var selfService: SelfService { SelfService(database: site.database, vault: SupporterVault(keys: site.keys), clock: site.clock) }
    var signer: SignedValue { SignedValue(keys: site.keys, purpose: "my-data") }

    /// What a session's forms carry besides the cookie: a hash of it, which another site
    /// cannot know (the cookie is also `SameSite=Strict`, so it never comes with their posts).
    static func check(_ request: Request) -> String? {
        request.cookies[cookieName].map { Hex.string(SHA256.hash(data: Data(("my-data-form|" + $0.value).utf8))) }
    }

    /// The supporter of the session, for a form posted in it (the form's check must match).
    func postedInSession(_ request: Request, _ fields: [String: String]) -> UUID? {
        guard let id = sessionSupporter(request), let check = Self.check(request), let sent = fields["check"],
            ConstantTime.equal(check, sent)
        else { return nil }
        return id
    }

    /// The supporter whose session this browser holds, while it lasts.
    func sessionSupporter(_ request: Request) -> UUID? {
        guard let raw = request.cookies[Self.cookieName]?.value, let payload = signer.verify(raw) else { return nil }
        let parts = payload.split(separator: "|")
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), let until = Int(parts[1]),
            Double(until) > site.clock.now.timeIntervalSince1970
        else { return nil }
        return id
    }

    func page(_ request: Request, _ context: AppRequestContext, notice: String? = nil) async throws -> Response {
        if let id = sessionSupporter(request), let report = try await selfService.report(id) {
            return try await render(
                .init(report: report, mail: try await site.outbox.history(of: id), check: Self.check(request), notice: notice),
                context
            )
        }
        return try await render(.init(), context)
    }

    /// Corrections: name, phone, postal code, school, preferred language; stored encrypted as
    /// a change on the record like any other; the form again with each error beside its field.
    func correct(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await request.formFields(context: context)
        guard let id = postedInSession(request, fields), let report = try await selfService.report(id) else {
            return Response.redirect(to: context.link(SitePath.myData), type: .normal)
        }
        var given = fields
        given["email"] = report.person.email ?? "someone@example.org"
        do {
            let person = try PersonForm.validate(given, asked: Set(SelfService.correctable), required: [])
            try await selfService.correct(id, to: person)
        } catch let errors as ValidationErrors {
            let state = MyDataPage.State(
                report: report,
                mail: try await site.outbox.history(of: id),
                check: Self.check(request),
                values: fields,
                errors: errors
            )
            return try await render(state, context, status: .unprocessableContent)
        }
        return Response.redirect(to: context.link(SitePath.myData) + "?done=corrected", type: .normal)
    }

    /// Email news and text messages, each on or off at once.
    func news(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await request.formFields(context: context)
        guard let id = postedInSession(request, fields) else { return Response.redirect(to: context.link(SitePath.myData), type: .normal) }
        try await selfService.setNews(id, email: fields["email_opt_in"] == "yes", sms: fields["sms_opt_in"] == "yes")
        return Response.redirect(to: context.link(SitePath.myData) + "?done=news", type: .normal)
    }

    func eraseConfirmation(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard sessionSupporter(request) != nil, let check = Self.check(request) else {
            return Response.redirect(to: context.link(SitePath.myData), type: .normal)
        }
        var page = OneButtonPage(heading: "mydata.erase_title", text: "mydata.erase_text", button: "mydata.erase_button")
        page.hidden = ("check", check)
        return try await page.render(path: SitePath.myDataErase(), action: context.link(SitePath.myDataErase), site: site, context: context)
    }

    /// Deletes the supporter, their actions, RSVPs, tags and mail in one transaction, then
    /// scrubs the freed pages from the file and its log; only keyed hashes of the email and
    /// phone stay, so an import never brings them back. The session ends with it.
    func erase(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await request.formFields(context: context)
        guard let id = postedInSession(request, fields) else { return Response.redirect(to: context.link(SitePath.myData), type: .normal) }
        let service = selfService
        try await site.database.transaction { db in
            try await service.erase(id, on: db)
            try await Outbox.forget(id, on: db)
        }
        try await Retention.scrubFreedPages(site.database)
        var response = try await OneButtonPage(heading: "mydata.erased_title", text: "mydata.erased_text", button: nil)
            .render(path: SitePath.myDataErase(), action: "", site: site, context: context)
        response.headers[.setCookie] = "\(Self.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict\(context.isHTTPS ? "; Secure" : "")"
        return response
    }

    func ask(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        if let wait = await site.formLimiter.check(context.clientAddress ?? "unknown") { return try await site.tooManyRequests(wait, context) }
        let fields = try await request.formFields(context: context)
        switch site.checkFormToken(fields) {
        case .invalid:
            return try await render(
                .init(values: fields, errors: ValidationErrors(field: "form", message: "form.expired")),
                context,
                status: .unprocessableContent
            )
        case .bot:
            break
        case .valid:
            let address = Normalization.email(fields["email"] ?? "")
            guard EmailAddress.isValid(address) else {
                return try await render(
                    .init(values: fields, errors: ValidationErrors(field: "email", message: "error.email_invalid")),
                    context,
                    status: .unprocessableContent
                )
            }
            let key = Hex.string(SHA256.hash(data: Data(("my-data|" + address).utf8)))
            if await site.myDataLimiter.check(key) == nil, let link = try await selfService.issueLink(email: address) {
                let message = site.letters.myDataLink(
                    to: link.person.email ?? address,
                    name: link.person.givenName,
                    languageCode: link.person.preferredLanguage ?? context.language.code,
                    token: link.token,
                    siteName: try await site.siteName()
                )
                _ = try await site.outbox.enqueue(message, kind: .selfService, supporterID: link.supporterID, on: site.database)
            }
        }
        try await Task.sleep(until: started + Self.answerTime, clock: .continuous)
        return try await render(.init(sent: true), context)
    }

    func linkPage(token: String, _ context: AppRequestContext) async throws -> Response {
        let path = SitePath.myDataLink(token)
        guard try await selfService.isUsable(token) else {
            return try await OneButtonPage(heading: "mydata.link_invalid_title", text: "mydata.link_invalid_text", button: nil)
                .render(path: path, action: "", status: .gone, site: site, context: context)
        }
        return try await OneButtonPage(heading: "mydata.open_title", text: "mydata.open_text", button: "mydata.open_button")
            .render(path: path, action: context.link(SitePath.myDataLink, token), site: site, context: context)
    }

    /// The button: uses the link up and starts the session (a same-site POST sets the cookie).
    func open(token: String, _ context: AppRequestContext) async throws -> Response {
        guard let id = try await selfService.redeem(token) else {
            return try await OneButtonPage(heading: "mydata.link_invalid_title", text: "mydata.link_invalid_text", button: nil)
                .render(path: SitePath.myDataLink(token), action: "", status: .gone, site: site, context: context)
        }
        let until = Int(site.clock.now.addingTimeInterval(SelfService.sessionLifetime).timeIntervalSince1970)
        var response = Response.redirect(to: context.link(SitePath.myData), type: .normal)
        let secure = context.isHTTPS ? "; Secure" : ""
        response.headers[.setCookie] =
            "\(Self.cookieName)=\(signer.sign("\(id.uuidString)|\(until)")); Path=/; Max-Age=\(Int(SelfService.sessionLifetime)); HttpOnly; SameSite=Strict\(secure)"
        response.headers[.cacheControl] = "private, no-store"
        return response
    }

    func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = sessionSupporter(request), let report = try await selfService.report(id) else {
            return Response.redirect(to: context.link(SitePath.myData), type: .normal)
        }
        try await selfService.record("exported", id)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let document = MyDataExport(report, mail: try await site.outbox.history(of: id), retention: site.settings.retention)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"my-data.json\""
        headers[.cacheControl] = "private, no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(document))))
    }
}
