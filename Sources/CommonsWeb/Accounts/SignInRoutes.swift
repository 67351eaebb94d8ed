import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// Signing in (password, one-time form, throttling, the known-device cookie; then the
/// two-factor code, when the account has it on) and out.
struct SignInRoutes {
    let site: Site

    func register(open: RouterGroup<AppRequestContext>, signedIn: RouterGroup<StaffContext<EnrolmentArea>>) {
        open.get(StaffPath.login) { _, context in try await loginPage(context) }
        open.post(StaffPath.login) { request, context in try await login(request, context) }
        open.get(StaffPath.loginCode) { request, context in
            guard PendingSignIn.read(request, site: site) != nil else { return Response.redirect(to: context.link(StaffPath.login), type: .normal) }
            return try await codePage(context)
        }
        open.post(StaffPath.loginCode) { request, context in try await enterCode(request, context) }
        signedIn.post(StaffPath.logout) { _, context in try await logout(context) }
    }

    struct CodePage {
        let layout: StaffLayout
        let action: String
        let restart: String
        let error: String?
    }

    func codePage(_ context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let strings = site.strings(context.language)
        let layout = try await site.staffLayout(
            title: strings["staff.two_factor_code_title"],
            path: context.link(StaffPath.loginCode),
            staff: nil,
            language: context.language
        )
        let model = CodePage(layout: layout, action: context.link(StaffPath.loginCode), restart: context.link(StaffPath.login), error: error)
        return site.views.page(.staffLoginCode, model, status: status)
    }

    /// The second step: the code from the authenticator, or a recovery code.
    func enterCode(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let strings = site.strings(context.language)
        let client = context.clientAddress ?? "unknown"
        if let wait = await site.signInLimiter.wait(client) { return try await locked(wait, context, codeStep: true) }
        guard let accountID = PendingSignIn.read(request, site: site) else {
            return try await loginPage(context, error: strings["form.expired"], status: .unprocessableContent)
        }
        let fields = try await request.formFields(context: context)
        let desk = SignInDesk(database: site.database, clock: site.clock)
        let outcome = try await desk.completeSignIn(
            accountID: accountID,
            code: fields["code"] ?? "",
            twoFactor: site.twoFactor,
            browser: StaffInput.browserFamily(request.headers[.userAgent])
        )
        switch outcome {
        case .signedIn(let sessionToken, _):
            let email = try await StaffDirectory(database: site.database, clock: site.clock).account(accountID)?.email ?? ""
            var response = try await signedIn(request, context, token: sessionToken, email: email)
            response.setCookie(PendingSignIn.cleared(secure: context.isHTTPS))
            return response
        case .throttled(let wait):
            return try await locked(wait, context, codeStep: true)
        default:
            await site.signInLimiter.record(client)
            return try await codePage(context, error: strings["staff.two_factor_code_refused"], status: .unauthorized)
        }
    }

    /// The session cookie (the browser's previous session ends: one browser, one live
    /// session, and a new id at every sign-in) and the known-device cookie, then the dashboard.
    func signedIn(_ request: Request, _ context: AppRequestContext, token: String, email: String) async throws -> Response {
        if let previous = request.cookies[StaffSessionMiddleware.cookieName]?.value, !previous.isEmpty {
            try await SignInDesk(database: site.database, clock: site.clock).signOut(token: previous)
        }
        var response = Response.redirect(to: context.link(StaffPath.home), type: .normal)
        response.setCookie(sessionCookie(token, maxAge: Int(SignInDesk.absoluteTimeout), secure: context.isHTTPS))
        response.setCookie(KnownDevice.cookie(email: email, site: site, secure: context.isHTTPS))
        return response
    }

    struct LoginPage {
        let layout: StaffLayout
        let action: String
        let token: String
        let email: String
        let error: String?
    }

    func loginPage(_ context: AppRequestContext, email: String = "", error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response
    {
        let strings = site.strings(context.language)
        let layout = try await site.staffLayout(
            title: strings["staff.sign_in"],
            path: context.link(StaffPath.login),
            staff: nil,
            language: context.language
        )
        let model = LoginPage(
            layout: layout,
            action: context.link(StaffPath.login),
            token: site.formTokens.issue(at: site.clock.now),
            email: email,
            error: error
        )
        return site.views.page(.staffLogin, model, status: status)
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let strings = site.strings(context.language)
        let client = context.clientAddress ?? "unknown"
        if let wait = await site.signInLimiter.wait(client) { return try await locked(wait, context) }
        let fields = try await request.formFields(context: context)
        let email = fields["email"] ?? ""
        guard let raw = fields["form_token"], let token = site.formTokens.verify(raw),
            site.clock.now.timeIntervalSince(token.issuedAt) < SignInDesk.formLifetime
        else {
            return try await loginPage(context, email: email, error: strings["form.expired"], status: .unprocessableContent)
        }
        let desk = SignInDesk(database: site.database, clock: site.clock)
        let knownDevice = KnownDevice.isKnown(request, email: email, site: site)
        let outcome = try await desk.signIn(
            email: email,
            password: fields["password"] ?? "",
            formID: token.id,
            knownDevice: knownDevice,
            browser: StaffInput.browserFamily(request.headers[.userAgent])
        )
        switch outcome {
        case .signedIn(let sessionToken, _):
            return try await signedIn(request, context, token: sessionToken, email: email)
        case .secondFactorNeeded(let accountID):
            var response = Response.redirect(to: context.link(StaffPath.loginCode), type: .normal)
            response.setCookie(PendingSignIn.cookie(accountID: accountID, site: site, secure: context.isHTTPS))
            return response
        case .refused:
            await site.signInLimiter.record(client)
            // The same words whether the email is unknown or the password wrong.
            return try await loginPage(context, email: email, error: strings["staff.sign_in_refused"], status: .unauthorized)
        case .formReused:
            return try await loginPage(context, email: email, error: strings["form.expired"], status: .unprocessableContent)
        case .throttled(let wait):
            return try await locked(wait, context)
        }
    }

    /// 429 with the wait, on the sign-in page or (`codeStep`) the code page.
    func locked(_ wait: Int, _ context: AppRequestContext, codeStep: Bool = false) async throws -> Response {
        let message = site.strings(context.language).format("staff.locked_out", ["minutes": String((wait + 59) / 60)])
        var response =
            codeStep
            ? try await codePage(context, error: message, status: .tooManyRequests)
            : try await loginPage(context, error: message, status: .tooManyRequests)
        response.headers[.retryAfter] = String(wait)
        return response
    }

    func logout(_ context: StaffContext<EnrolmentArea>) async throws -> Response {
        try await SignInDesk(database: site.database, clock: site.clock).signOut(token: context.staff.sessionToken)
        var response = Response.redirect(to: context.link(StaffPath.login), type: .normal)
        response.setCookie(sessionCookie("", maxAge: 0, secure: context.isHTTPS))
        return response
    }

    func sessionCookie(_ value: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(
            name: StaffSessionMiddleware.cookieName,
            value: value,
            maxAge: maxAge,
            path: "/",
            secure: secure,
            httpOnly: true,
            sameSite: .lax
        )
    }
}
