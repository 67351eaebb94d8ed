import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// Signing in (password, one-time form, throttling, the known-device cookie) and out.
struct SignInRoutes {
    let site: Site

    func register(open: RouterGroup<AppRequestContext>, signedIn: RouterGroup<StaffContext<AnyStaffArea>>) {
        open.get(StaffPath.login) { _, context in try await loginPage(context) }
        open.post(StaffPath.login) { request, context in try await login(request, context) }
        signedIn.post(StaffPath.logout) { _, context in try await logout(context) }
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
        switch try await desk.signIn(email: email, password: fields["password"] ?? "", formID: token.id, knownDevice: knownDevice) {
        case .signedIn(let sessionToken, _):
            // A session this browser had before ends now: one browser, one live session.
            if let previous = request.cookies[StaffSessionMiddleware.cookieName]?.value, !previous.isEmpty {
                try await desk.signOut(token: previous)
            }
            var response = Response.redirect(to: context.link(StaffPath.home), type: .normal)
            response.setCookie(sessionCookie(sessionToken, maxAge: Int(SignInDesk.absoluteTimeout), secure: context.isHTTPS))
            response.setCookie(KnownDevice.cookie(email: email, site: site, secure: context.isHTTPS))
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

    func locked(_ wait: Int, _ context: AppRequestContext) async throws -> Response {
        var response = try await loginPage(
            context,
            error: site.strings(context.language).format("staff.locked_out", ["minutes": String((wait + 59) / 60)]),
            status: .tooManyRequests
        )
        response.headers[.retryAfter] = String(wait)
        return response
    }

    func logout(_ context: StaffContext<AnyStaffArea>) async throws -> Response {
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
