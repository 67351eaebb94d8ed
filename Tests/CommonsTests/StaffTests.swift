import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import CommonsWeb

let staffPassword = "river-stone-lantern-42"

/// Adds an account directly, as `commons user add` does.
@discardableResult
func addStaff(_ site: TestSite, email: String, role: Role) async throws -> UUID {
    try await site.withStore { store async throws in
        try await store.migrate(AllMigrations.list)
        return try await StaffDirectory(database: store.database, clock: .system).add(
            email: email,
            name: "",
            role: role,
            password: staffPassword,
            by: nil
        ).requireID()
    }
}

/// A signed-in browser: its session cookie and its CSRF token.
struct StaffBrowser {
    let cookie: String
    let csrf: String

    static func signIn(
        _ client: any TestClientProtocol,
        email: String,
        password: String = staffPassword,
        deviceCookie: String? = nil
    ) async throws -> StaffBrowser? {
        let response = try await client.signInAttempt(email: email, password: password, cookie: deviceCookie)
        guard response.status == .seeOther,
            let setCookie = response.headers[values: .setCookie].first(where: { $0.hasPrefix(StaffSessionMiddleware.cookieName + "=") })
        else { return nil }
        let cookie = String(setCookie.prefix { $0 != ";" })
        var dashboard = try await client.get("/admin", headers: [.cookie: cookie])
        // A role that requires two-factor sign-in, not enrolled yet, is held at the enrolment page.
        if dashboard.status == .seeOther, let enrolment = dashboard.headers[.location] {
            dashboard = try await client.get(enrolment, headers: [.cookie: cookie])
        }
        guard let csrf = csrfToken(in: dashboard.text) else { return nil }
        return StaffBrowser(cookie: cookie, csrf: csrf)
    }

    func get(_ client: any TestClientProtocol, _ path: String) async throws -> TestResponse {
        try await client.get(path, headers: [.cookie: cookie])
    }

    func post(
        _ client: any TestClientProtocol,
        _ path: String,
        _ fields: [(String, String)] = [],
        csrf override: String? = nil
    ) async throws -> TestResponse {
        try await client.execute(
            uri: path,
            method: .post,
            headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
            body: formBody([("csrf_token", override ?? csrf)] + fields)
        )
    }
}

func csrfToken(in html: String) -> String? {
    guard let start = html.range(of: "name=\"csrf_token\" value=\"") else { return nil }
    return String(html[start.upperBound...].prefix { $0 != "\"" })
}

extension TestClientProtocol {
    func signInAttempt(email: String, password: String, cookie: String? = nil) async throws -> TestResponse {
        let token = try formToken(in: try await get("/admin/login").text)
        return try await execute(
            uri: "/admin/login",
            method: .post,
            headers: [.cookie: cookie ?? "", .contentType: "application/x-www-form-urlencoded"],
            body: formBody([("form_token", token), ("email", email), ("password", password)])
        )
    }
}

@Suite("Staff area")
struct StaffTests {
    /// Who may reach each staff route: the deny-by-default table. A route missing here fails the test.
    static let expected: [String: Set<String>] = [
        "GET /admin/login": ["anonymous", "editor", "organizer", "admin"],
        "POST /admin/login": ["anonymous", "editor", "organizer", "admin"],
        "GET /admin": ["editor", "organizer", "admin"],
        "POST /admin/logout": ["editor", "organizer", "admin"],
        "GET /admin/accounts": ["admin"],
        "POST /admin/accounts": ["admin"],
        "POST /admin/accounts/{id}/role": ["admin"],
        "POST /admin/accounts/{id}/disable": ["admin"],
        "POST /admin/accounts/{id}/sessions/end": ["admin"],
        "POST /admin/accounts/{id}/two-factor/reset": ["admin"],
        "GET /admin/login/code": ["anonymous", "editor", "organizer", "admin"],
        "POST /admin/login/code": ["anonymous", "editor", "organizer", "admin"],
        "GET /admin/account/two-factor": ["editor", "organizer", "admin"],
        "POST /admin/account/two-factor": ["editor", "organizer", "admin"],
        "POST /admin/account/two-factor/recovery-codes": ["editor", "organizer", "admin"],
        "POST /admin/account/two-factor/disable": ["editor", "organizer", "admin"],
        "GET /admin/account/sessions": ["editor", "organizer", "admin"],
        "POST /admin/account/sessions/end": ["editor", "organizer", "admin"],
        "POST /admin/account/sessions/end-others": ["editor", "organizer", "admin"],
        "GET /admin/account/password": ["editor", "organizer", "admin"],
        "POST /admin/account/password": ["editor", "organizer", "admin"],
        "POST /admin/account/confirm": ["editor", "organizer", "admin"],
        "GET /admin/audit": ["admin"],
        "GET /admin/api-tokens": ["admin"],
        "POST /admin/api-tokens": ["admin"],
        "POST /admin/api-tokens/{id}/revoke": ["admin"],
        "GET /admin/webhooks": ["admin"], "POST /admin/webhooks": ["admin"], "GET /admin/webhooks/{id}": ["admin"],
        "POST /admin/webhooks/{id}/enable": ["admin"], "POST /admin/webhooks/{id}/delete": ["admin"],
        // The API answers tokens, never a staff session; only its document is open to all.
        "GET /api/v1/openapi.json": ["anonymous", "editor", "organizer", "admin"],
        "GET /api/v1": [], "GET /api/v1/people": [], "POST /api/v1/people": [], "GET /api/v1/people/{id}": [],
        "PUT /api/v1/people/{id}": [], "DELETE /api/v1/people/{id}": [], "GET /api/v1/tags": [], "GET /api/v1/tags/{id}": [],
        "GET /api/v1/tags/{id}/taggings": [], "GET /api/v1/petitions": [], "GET /api/v1/petitions/{id}": [],
        "GET /api/v1/petitions/{id}/signatures": [], "POST /api/v1/petitions/{id}/signatures": [],
        "GET /api/v1/petitions/{id}/signatures/{action}": [], "GET /api/v1/forms": [], "GET /api/v1/forms/{id}": [],
        "GET /api/v1/forms/{id}/submissions": [], "POST /api/v1/forms/{id}/submissions": [], "GET /api/v1/forms/{id}/submissions/{action}": [],
        "GET /api/v1/events": [], "GET /api/v1/events/{id}": [], "GET /api/v1/events/{id}/attendances": [],
        "POST /api/v1/events/{id}/attendances": [], "GET /api/v1/events/{id}/attendances/{action}": [],
        "GET /admin/posts": ["editor", "admin"],
        "POST /admin/posts": ["editor", "admin"],
        "GET /admin/posts/new": ["editor", "admin"],
        "GET /admin/posts/{id}": ["editor", "admin"],
        "POST /admin/posts/{id}": ["editor", "admin"],
        "GET /admin/posts/{id}/revisions": ["editor", "admin"],
        "POST /admin/posts/{id}/revisions/{revision}/restore": ["editor", "admin"],
        "POST /admin/posts/{id}/delete": ["editor", "admin"],
        "GET /admin/settings": ["admin"],
        "POST /admin/settings": ["admin"],
        "GET /admin/pages": ["editor", "admin"],
        "POST /admin/pages": ["editor", "admin"],
        "GET /admin/pages/new": ["editor", "admin"],
        "GET /admin/pages/{id}": ["editor", "admin"],
        "POST /admin/pages/{id}": ["editor", "admin"],
        "GET /admin/documents": ["editor", "admin"],
        "GET /admin/datasets": ["editor", "admin"],
        "POST /admin/datasets": ["editor", "admin"],
        "GET /admin/datasets/new": ["editor", "admin"],
        "GET /admin/datasets/{id}": ["editor", "admin"],
        "POST /admin/datasets/{id}": ["editor", "admin"],
        "POST /admin/datasets/{id}/delete": ["editor", "admin"],
        "GET /admin/datasets/{id}/translations/{language}": ["editor", "admin"],
        "POST /admin/datasets/{id}/translations/{language}": ["editor", "admin"],
        "POST /admin/datasets/{id}/translations/{language}/delete": ["editor", "admin"],
        "GET /admin/translations": ["editor", "admin"],
        "GET /admin/members": ["editor", "admin"], "POST /admin/members": ["editor", "admin"], "GET /admin/members/new": ["editor", "admin"],
        "GET /admin/members/{id}": ["editor", "admin"], "POST /admin/members/{id}": ["editor", "admin"],
        "POST /admin/members/{id}/delete": ["editor", "admin"],
        "GET /admin/members/{id}/translations/{language}": ["editor", "admin"],
        "POST /admin/members/{id}/translations/{language}": ["editor", "admin"],
        "POST /admin/members/{id}/translations/{language}/delete": ["editor", "admin"],
        "GET /admin/posts/{id}/translations/{language}": ["editor", "admin"],
        "POST /admin/posts/{id}/translations/{language}": ["editor", "admin"],
        "POST /admin/posts/{id}/translations/{language}/delete": ["editor", "admin"],
        "GET /admin/pages/{id}/translations/{language}": ["editor", "admin"],
        "POST /admin/pages/{id}/translations/{language}": ["editor", "admin"],
        "POST /admin/pages/{id}/translations/{language}/delete": ["editor", "admin"],
        "GET /admin/documents/{id}/translations/{language}": ["editor", "admin"],
        "POST /admin/documents/{id}/translations/{language}": ["editor", "admin"],
        "POST /admin/documents/{id}/translations/{language}/delete": ["editor", "admin"],
        "GET /admin/campaigns/{id}/translations/{language}": ["organizer", "admin"],
        "POST /admin/campaigns/{id}/translations/{language}": ["organizer", "admin"],
        "POST /admin/campaigns/{id}/translations/{language}/delete": ["organizer", "admin"],
        "GET /admin/events/{id}/translations/{language}": ["organizer", "admin"],
        "POST /admin/events/{id}/translations/{language}": ["organizer", "admin"],
        "POST /admin/events/{id}/translations/{language}/delete": ["organizer", "admin"],
        "POST /admin/documents": ["editor", "admin"],
        "GET /admin/documents/new": ["editor", "admin"],
        "GET /admin/documents/{id}": ["editor", "admin"],
        "POST /admin/documents/{id}": ["editor", "admin"],
        "POST /admin/documents/{id}/delete": ["editor", "admin"],
        "GET /admin/campaigns": ["organizer", "admin"],
        "POST /admin/campaigns": ["organizer", "admin"],
        "GET /admin/campaigns/new": ["organizer", "admin"],
        "GET /admin/campaigns/{id}": ["organizer", "admin"],
        "POST /admin/campaigns/{id}": ["organizer", "admin"],
        "GET /admin/events": ["organizer", "admin"],
        "POST /admin/events": ["organizer", "admin"],
        "GET /admin/events/new": ["organizer", "admin"],
        "GET /admin/events/{id}": ["organizer", "admin"],
        "POST /admin/events/{id}": ["organizer", "admin"],
        "GET /admin/supporters/{id}/edit": ["organizer", "admin"],
        "POST /admin/supporters/{id}/edit": ["organizer", "admin"],
        "GET /admin/supporters": ["organizer", "admin"],
        "GET /admin/supporters/export.csv": ["organizer", "admin"],
        "GET /admin/mailings": ["organizer", "admin"], "GET /admin/mailings/new": ["organizer", "admin"],
        "POST /admin/mailings": ["organizer", "admin"], "GET /admin/mailings/{id}": ["organizer", "admin"],
        "POST /admin/mailings/{id}": ["organizer", "admin"], "POST /admin/mailings/{id}/test": ["organizer", "admin"],
        "POST /admin/mailings/{id}/send": ["organizer", "admin"],
        "GET /admin/supporters/{id}": ["organizer", "admin"],
        "POST /admin/supporters/{id}/tags": ["organizer", "admin"],
        "POST /admin/supporters/{id}/tags/remove": ["organizer", "admin"],
        "GET /admin/supporters/{id}/delete": ["organizer", "admin"],
        "POST /admin/supporters/{id}/delete": ["organizer", "admin"],
        "POST /admin/supporters/{id}/actions/{action}/apply": ["organizer", "admin"],
    ]

    @Test func test_every_staff_route_is_in_the_permission_table_and_enforced() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        for role in Role.allCases { try await addStaff(site, email: "\(role.rawValue)@example.org", role: role) }
        let (router, _, app) = try await site.routedApplication()
        let routes = router.routes.map { "\($0.method) \(Self.normalized($0.path.description))" }.filter {
            $0.contains(" /admin") || $0.contains(" /api")
        }
        #expect(Set(routes) == Set(Self.expected.keys), "routes without an entry in the table: \(Set(routes).subtracting(Self.expected.keys))")
        try await app.test(.router) { client async throws in
            var browsers: [String: StaffBrowser] = [:]
            for role in Role.allCases {
                browsers[role.rawValue] = try #require(try await StaffBrowser.signIn(client, email: "\(role.rawValue)@example.org"))
            }
            for route in routes.sorted() where !route.hasSuffix("/logout") && !route.contains("/login") {
                let parts = route.split(separator: " ", maxSplits: 1)
                let path = String(parts[1]).replacingOccurrences(of: "{id}", with: UUID().uuidString).replacingOccurrences(
                    of: "{revision}",
                    with: UUID().uuidString
                )
                for persona in ["anonymous", "editor", "organizer", "admin"] {
                    let response: TestResponse
                    switch (String(parts[0]), browsers[persona]) {
                    case ("GET", let browser?): response = try await browser.get(client, path)
                    case ("GET", nil): response = try await client.get(path)
                    case ("POST", let browser?): response = try await browser.post(client, path)
                    case ("POST", nil): response = try await client.post(path, form: [])
                    case (let method, let browser):
                        response = try await client.execute(
                            uri: path,
                            method: HTTPRequest.Method(method)!,
                            headers: browser.map { [.cookie: $0.cookie] } ?? [:]
                        )
                    }
                    let reached = !([.unauthorized, .forbidden].contains(response.status) || response.headers[.location] == "/admin/login")
                    #expect(reached == Self.expected[route]!.contains(persona), "\(persona) \(route) → \(response.status)")
                }
            }
        }
    }

    static func normalized(_ path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/").prefixed()
    }

    @Test func test_sign_in_sets_a_safe_cookie_and_a_new_session_each_time() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.run { client async throws in
            let response = try await client.signInAttempt(email: " ADA@example.org ", password: staffPassword)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/admin")
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.hasPrefix("commons_session="))
            for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] { #expect(cookie.contains(attribute), "\(attribute)") }
            let second = try #require(try await client.signInAttempt(email: "ada@example.org", password: staffPassword).headers[.setCookie])
            #expect(second.prefix { $0 != ";" } != cookie.prefix { $0 != ";" })
            let dashboard = try await client.get("/admin", headers: [.cookie: String(cookie.prefix { $0 != ";" })])
            #expect(dashboard.status == .ok)
            #expect(dashboard.headers[.cacheControl] == "no-store")
        }
    }

    @Test func test_unknown_email_and_wrong_password_get_the_same_answer_and_lockout_follows() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.run { client async throws in
            let unknown = try await client.signInAttempt(email: "nobody@example.org", password: staffPassword)
            let wrong = try await client.signInAttempt(email: "ada@example.org", password: "wrong-password-123")
            #expect(unknown.status == .unauthorized)
            #expect(wrong.status == .unauthorized)
            func withoutToken(_ html: String) -> String {
                html.replacingOccurrences(of: #"value="[^"]*\.[0-9]+\.[^"]*""#, with: "", options: .regularExpression)
            }
            #expect(
                withoutToken(unknown.text).replacingOccurrences(of: "nobody@example.org", with: "X")
                    == withoutToken(wrong.text).replacingOccurrences(of: "ada@example.org", with: "X")
            )
            #expect(wrong.text.contains("That email and password do not match an active account."))
        }
    }

    @Test func test_wrong_passwords_throttle_new_browsers_alike_for_known_and_unknown_emails_never_known_ones() async throws {
        // A whole second, so stored times round to themselves.
        let clock = TestClock(Date(timeIntervalSince1970: 1_900_000_000))
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.withStore { store async throws in
            // Failures counted in the database, so they add up across servers and clients.
            let desk = SignInDesk(database: store.database, clock: clock.clock)
            var form = 0
            func next() -> String {
                form += 1
                return "form-\(form)"
            }
            for email in ["ada@example.org", "nobody@example.org"] {
                for _ in 0..<5 { #expect(try await desk.signIn(email: email, password: "not-the-password-1", formID: next()) == .refused) }
            }
            // A browser that never signed in waits, the same for a staff email and an unknown one ...
            let known = try await desk.signIn(email: "ada@example.org", password: staffPassword, formID: next())
            let unknown = try await desk.signIn(email: "nobody@example.org", password: staffPassword, formID: next())
            #expect(known == .throttled(retryAfter: 30))
            #expect(unknown == .throttled(retryAfter: 30))
            // ... while the browser Ada signed in with before goes straight in with the right password.
            guard case .signedIn = try await desk.signIn(email: "ada@example.org", password: staffPassword, formID: next(), knownDevice: true)
            else {
                Issue.record("the right password from a known browser was refused during an attack")
                return
            }
            // The wait grows with each further failure and never passes the window.
            clock.advance(by: 31)
            #expect(try await desk.signIn(email: "ada@example.org", password: "still-wrong-123", formID: next()) == .refused)
            #expect(try await desk.signIn(email: "ada@example.org", password: staffPassword, formID: next()) == .throttled(retryAfter: 60))
            #expect(SignInDesk.throttleDelay(failures: 100) == SignInDesk.failureWindow)
            clock.advance(by: 61)
            guard case .signedIn = try await desk.signIn(email: "ada@example.org", password: staffPassword, formID: next()) else {
                Issue.record("the right password was refused after the wait")
                return
            }
            // A sign-in form is good once.
            #expect(try await desk.signIn(email: "ada@example.org", password: staffPassword, formID: "form-1") == .formReused)
            // Admins see that the account and an unknown email were throttled.
            let throttled = try await desk.recentThrottling(since: .distantPast)
            #expect(throttled.count == 2)
            #expect(throttled.contains { $0.accountID != nil } && throttled.contains { $0.accountID == nil })
        }
    }

    @Test func test_browser_that_signed_in_before_gets_in_while_the_account_is_under_attack() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.run { client async throws in
            let first = try await client.signInAttempt(email: "ada@example.org", password: staffPassword)
            #expect(first.status == .seeOther)
            let deviceCookie = first.headers[values: .setCookie].first { $0.hasPrefix("commons_device=") }.map { String($0.prefix { $0 != ";" }) }
            #expect(deviceCookie != nil)
            #expect(deviceCookie.map { !$0.contains("ada") } == true)
            try await site.withStore { store async throws in
                let desk = SignInDesk(database: store.database, clock: .system)
                for number in 0..<6 { _ = try await desk.signIn(email: "ada@example.org", password: "wrong-guess-123", formID: "attack-\(number)") }
            }
            let stranger = try await client.signInAttempt(email: "ada@example.org", password: staffPassword)
            #expect(stranger.status == .tooManyRequests)
            #expect(Int(stranger.headers[.retryAfter] ?? "") != nil)
            let login = try await client.get("/admin/login")
            let token = try formToken(in: login.text)
            let again = try await client.execute(
                uri: "/admin/login",
                method: .post,
                headers: [.cookie: deviceCookie ?? "", .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("form_token", token), ("email", "ada@example.org"), ("password", staffPassword)])
            )
            #expect(again.status == .seeOther)
            // A replayed sign-in request is refused.
            let replay = try await client.execute(
                uri: "/admin/login",
                method: .post,
                headers: [.cookie: deviceCookie ?? "", .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("form_token", token), ("email", "ada@example.org"), ("password", staffPassword)])
            )
            #expect(replay.status == .unprocessableContent)
            // Admins see the throttling on the accounts page.
            let admin = try #require(try await StaffBrowser.signIn(client, email: "ada@example.org", deviceCookie: deviceCookie))
            let accounts = try await admin.get(client, "/admin/accounts").text
            #expect(accounts.contains("ada@example.org"))
            #expect(accounts.contains("Sign-in throttling"))
        }
    }

    @Test func test_signing_in_again_ends_the_session_the_browser_had() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.run { client async throws in
            let first = try #require(try await StaffBrowser.signIn(client, email: "ada@example.org"))
            let token = try formToken(in: try await client.get("/admin/login").text)
            let second = try await client.execute(
                uri: "/admin/login",
                method: .post,
                headers: [.cookie: first.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("form_token", token), ("email", "ada@example.org"), ("password", staffPassword)])
            )
            #expect(second.status == .seeOther)
            #expect(try await first.get(client, "/admin").status == .seeOther)
        }
    }

    @Test func test_the_last_admin_cannot_step_down() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let ada = try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.run { client async throws in
            let admin = try #require(try await StaffBrowser.signIn(client, email: "ada@example.org"))
            let refused = try await admin.post(client, "/admin/accounts/\(ada.uuidString.lowercased())/role", [("role", "editor")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("last admin"))
            try await addStaff(site, email: "grace@example.org", role: .admin)
            let allowed = try await admin.post(client, "/admin/accounts/\(ada.uuidString.lowercased())/role", [("role", "editor")])
            #expect(allowed.status == .seeOther)
        }
    }

    @Test func test_ten_failures_from_one_client_answer_429() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.run { client async throws in
            for number in 0..<10 { _ = try await client.signInAttempt(email: "guess\(number)@example.org", password: "guessing-password") }
            let eleventh = try await client.signInAttempt(email: "other@example.org", password: "guessing-password")
            #expect(eleventh.status == .tooManyRequests)
            #expect(eleventh.headers[.retryAfter] != nil)
        }
    }

    @Test func test_sessions_end_when_idle_when_too_old_on_sign_out_and_when_disabled() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await site.run { client async throws in
            // Idle for 31 minutes.
            let idle = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            clock.advance(by: 31 * 60)
            #expect(try await idle.get(client, "/admin").headers[.location] == "/admin/login")

            // Active every 20 minutes, but 12 hours after signing in it ends anyway.
            let busy = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            for _ in 0..<35 {
                clock.advance(by: 20 * 60)
                #expect(try await busy.get(client, "/admin").status == .ok)
            }
            clock.advance(by: 21 * 60)  // 12 hours and 1 minute after signing in
            #expect(try await busy.get(client, "/admin").headers[.location] == "/admin/login")

            // Signing out ends the session on the server: the old cookie no longer works.
            let leaving = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let out = try await leaving.post(client, "/admin/logout")
            #expect(out.status == .seeOther)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await leaving.get(client, "/admin").headers[.location] == "/admin/login")

            // Disabling an account ends its sessions at once.
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let admin = try #require(try await StaffBrowser.signIn(client, email: "ada@example.org"))
            let accounts = try await admin.get(client, "/admin/accounts").text
            let disableStart = try #require(accounts.range(of: #"/admin/accounts/[0-9a-f-]+/disable"#, options: .regularExpression))
            #expect(try await admin.post(client, String(accounts[disableStart])).status == .seeOther)
            #expect(try await editor.get(client, "/admin").headers[.location] == "/admin/login")
            #expect(try await client.signInAttempt(email: "ed@example.org", password: staffPassword).status == .unauthorized)
        }
    }

    @Test func test_state_changing_requests_without_the_csrf_token_or_from_another_site_are_refused() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let fields = [("title", "Forged"), ("body", "x"), ("status", "published")]
            let missing = try await client.execute(
                uri: "/admin/posts",
                method: .post,
                headers: [.cookie: editor.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: formBody(fields)
            )
            #expect(missing.status == .forbidden)
            #expect(try await editor.post(client, "/admin/posts", fields, csrf: "wrong").status == .forbidden)
            let foreign = try await client.execute(
                uri: "/admin/posts",
                method: .post,
                headers: [.cookie: editor.cookie, .contentType: "application/x-www-form-urlencoded", .origin: "https://evil.example"],
                body: formBody([("csrf_token", editor.csrf)] + fields)
            )
            #expect(foreign.status == .forbidden)
            let crossSite = try await client.execute(
                uri: "/admin/posts",
                method: .post,
                headers: [
                    .cookie: editor.cookie, .contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "cross-site",
                ],
                body: formBody([("csrf_token", editor.csrf)] + fields)
            )
            #expect(crossSite.status == .forbidden)
            // What browsers send under Referrer-Policy: no-referrer: the token decides.
            let nullOrigin = try await client.execute(
                uri: "/admin/posts",
                method: .post,
                headers: [
                    .cookie: editor.cookie, .contentType: "application/x-www-form-urlencoded", .origin: "null",
                    HTTPField.Name("Sec-Fetch-Site")!: "same-origin",
                ],
                body: formBody([("csrf_token", editor.csrf)] + [("title", "Null origin"), ("body", "x"), ("status", "draft")])
            )
            #expect(nullOrigin.status == .seeOther)
            #expect(try await editor.post(client, "/admin/posts", fields).status == .seeOther)
        }
        try await site.withStore { store async throws in
            #expect(try await Post.query(on: store.database).filter(\.$title == "Forged").count() == 1)
        }
    }

    @Test func test_passwords_are_checked_and_long_ones_are_not_truncated() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        try await site.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            let directory = StaffDirectory(database: store.database, clock: .system)
            for (password, problem) in [
                ("short-one", "error.password_too_short"), ("password1234", "error.password_common"),
                (String(repeating: "x", count: 129), "error.password_too_long"), ("aaaaaaaaaaaaaaaa", "error.password_common"),
            ] {
                await #expect(throws: ValidationErrors(field: "password", message: problem)) {
                    try await directory.add(email: "a@example.org", name: "", role: .editor, password: password, by: nil)
                }
            }
            let prefix = String(repeating: "correct horse battery staple ", count: 3)  // 87 bytes
            try await directory.add(email: "long@example.org", name: "", role: .editor, password: prefix + "one", by: nil)
            let desk = SignInDesk(database: store.database, clock: .system)
            #expect(try await desk.signIn(email: "long@example.org", password: prefix + "two", formID: "a") == .refused)
            guard case .signedIn = try await desk.signIn(email: "long@example.org", password: prefix + "one", formID: "b") else {
                Issue.record("the right long password was refused")
                return
            }
        }
    }

    @Test func test_editor_publishes_a_post_that_appears_on_the_home_page() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let fields = [("title", "Parents win class size cap"), ("body", "We **won**."), ("status", "published"), ("categories", "Victories")]
            let preview = try await editor.post(client, "/admin/posts", fields + [("intent", "preview")])
            #expect(preview.status == .ok)
            #expect(preview.text.contains("We <strong>won</strong>."))
            #expect(!(try await client.get("/").text.contains("Parents win class size cap")))
            let saved = try await editor.post(client, "/admin/posts", fields + [("intent", "save")])
            #expect(saved.status == .seeOther)
            #expect(try await client.get("/").text.contains("Parents win class size cap"))
            #expect(try await client.get("/category/victories").status == .ok)
            // An error comes back beside its field, with the text kept.
            let bad = try await editor.post(client, "/admin/posts", [("title", ""), ("body", "Kept text"), ("status", "draft")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("Enter a title."))
            #expect(bad.text.contains("Kept text</textarea>"))
            // Editing keeps a revision, which can be restored.
            let editURL = try #require(saved.headers[.location])
            _ = try await editor.post(
                client,
                editURL,
                [("title", "Parents win class size cap"), ("slug", "parents-win-class-size-cap"), ("body", "Changed."), ("status", "published")]
            )
            let revisions = try await editor.get(client, editURL + "/revisions").text
            let restore = try #require(revisions.range(of: #"/admin/posts/[0-9a-f-]+/revisions/[0-9a-f-]+/restore"#, options: .regularExpression))
            #expect(try await editor.post(client, String(revisions[restore])).status == .seeOther)
            #expect(try await client.get("/news/parents-win-class-size-cap").text.contains("We <strong>won</strong>."))
        }
    }

    /// Signs up a supporter through the public form.
    func signUp(_ client: any TestClientProtocol, clock: TestClock, _ fields: [(String, String)]) async throws {
        let response = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, fields)
        #expect(response.status == .seeOther)
    }

    @Test func test_organizer_sees_what_a_later_form_said_and_applies_it_by_hand_audited() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "org@example.org", role: .organizer)
        try await site.run { client async throws in
            try await signUp(client, clock: clock, [("given_name", "Maria"), ("email", "maria@example.org"), ("school", "P.S. 1")])
            try await signUp(client, clock: clock, [("given_name", "María"), ("email", "MARIA@example.org"), ("school", "P.S. 20")])
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            let list = try await organizer.get(client, "/admin/supporters").text
            let link = try #require(list.range(of: #"/admin/supporters/[0-9a-f-]{36}"#, options: .regularExpression).map { String(list[$0]) })
            let page = try await organizer.get(client, link).text
            #expect(page.contains("<dd>P.S. 20</dd>"))
            #expect(page.contains("<dd>P.S. 1</dd>"))
            let apply = try #require(
                page.range(of: #"/admin/supporters/[0-9a-f-]{36}/actions/[0-9a-f-]{36}/apply"#, options: .regularExpression).map { String(page[$0]) }
            )
            #expect(try await organizer.post(client, apply, csrf: "forged").status == .forbidden)
            #expect(try await organizer.post(client, apply).status == .seeOther)
            let after = try await organizer.get(client, link).text
            #expect(after.contains("<dd>P.S. 20</dd>"))
            #expect(after.contains("María"))
            // The applied form now agrees with the record; the first one, which said otherwise, is offered instead.
            #expect(!after.contains(apply))
            #expect(after.contains("/apply\""))
        }
        try await site.withStore { store async throws in
            let entry = try #require(try await AuditEntry.query(on: store.database).filter(\.$action == "supporter.submission_applied").first())
            #expect(entry.detail.contains("fields=given_name,school"))
            #expect(!entry.detail.contains("P.S."))
        }
    }

    @Test func test_organizer_finds_tags_exports_and_deletes_supporters_and_each_act_is_audited() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "org@example.org", role: .organizer)
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await site.run { client async throws in
            try await signUp(
                client,
                clock: clock,
                [("given_name", "=HYPERLINK(\"http://x\")"), ("family_name", "Lopez, Jr."), ("email", "maria@example.org"), ("phone", "2125550123")]
            )
            try await signUp(
                client,
                clock: clock,
                [("given_name", "Kwame"), ("family_name", "Mensah"), ("email", "kwame@example.org"), ("preferred_language", "fr")]
            )
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            #expect(try await editor.get(client, "/admin/supporters").status == .forbidden)

            let byEmail = try await organizer.get(client, "/admin/supporters?q=MARIA%40example.org").text
            #expect(byEmail.contains("maria@example.org"))
            #expect(!byEmail.contains("kwame@example.org"))
            let byName = try await organizer.get(client, "/admin/supporters?q=mensah").text
            #expect(byName.contains("kwame@example.org") && !byName.contains("maria@example.org"))
            let byPhone = try await organizer.get(client, "/admin/supporters?q=(212)+555-0123").text
            #expect(byPhone.contains("maria@example.org"))
            let byLanguage = try await organizer.get(client, "/admin/supporters?language=fr").text
            #expect(byLanguage.contains("kwame@example.org") && !byLanguage.contains("maria@example.org"))

            let csv = try await organizer.get(client, "/admin/supporters/export.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"supporters.csv\"")
            let bytes = Array(csv.body.readableBytesView)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(text.hasPrefix("given_name,family_name,email,phone,"))
            #expect(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\",\"Lopez, Jr.\",maria@example.org,'+12125550123"))
            #expect(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)

            let list = try await organizer.get(client, "/admin/supporters?q=kwame%40example.org").text
            let link = try #require(list.range(of: #"/admin/supporters/[0-9a-f-]{36}"#, options: .regularExpression))
            let supporterURL = String(list[link])
            #expect(try await organizer.get(client, supporterURL).text.contains("Mensah"))
            #expect(try await organizer.post(client, supporterURL + "/tags", [("tag", "phone bank")]).status == .seeOther)
            #expect(try await organizer.get(client, supporterURL).text.contains("phone bank"))
            #expect(try await organizer.get(client, supporterURL + "/delete").text.contains("cannot be undone"))
            #expect(try await organizer.post(client, supporterURL + "/delete").status == .seeOther)
            #expect(try await organizer.get(client, supporterURL).status == .notFound)
        }
        try await site.withStore { store async throws in
            #expect(try await Supporter.query(on: store.database).count() == 1)
            #expect(try await Action.query(on: store.database).count() == 1)
            let actions = try await AuditEntry.query(on: store.database).all().map(\.action)
            for expected in [
                "signin.succeeded", "supporters.listed", "supporters.exported", "supporter.viewed", "supporter.tagged", "supporter.deleted",
                "account.created",
            ] {
                #expect(actions.contains(expected), "\(expected)")
            }
            let export = try #require(try await AuditEntry.query(on: store.database).filter(\.$action == "supporters.exported").first())
            #expect(export.detail == "filter=all rows=2")
            // The log holds ids, never what people typed about themselves.
            for entry in try await AuditEntry.query(on: store.database).all() {
                for secret in ["maria", "kwame", "Mensah", "2125550123", "mensah"] {
                    #expect(!entry.detail.contains(secret) && !(entry.subjectID ?? "").contains(secret))
                }
            }
        }
    }

    func auditLogCannotBeChanged(_ backend: TestDatabase.Backend) async throws {
        let site = try await TestSite.make(backend)
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.withStore { store async throws in
            #expect(try await AuditEntry.query(on: store.database).count() == 1)
            await #expect(throws: (any Error).self) { try await store.sql.raw("UPDATE audit_log SET action = 'nothing'").run() }
            await #expect(throws: (any Error).self) { try await store.sql.raw("DELETE FROM audit_log").run() }
            #expect(try await AuditEntry.query(on: store.database).first()?.action == "account.created")
        }
    }

    @Test func test_audit_log_cannot_be_changed_on_sqlite() async throws { try await auditLogCannotBeChanged(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_audit_log_cannot_be_changed_on_postgres() async throws { try await auditLogCannotBeChanged(.postgres) }

    @Test func test_admin_adds_an_account_and_changes_a_role_and_both_are_audited() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.run { client async throws in
            let admin = try #require(try await StaffBrowser.signIn(client, email: "ada@example.org"))
            let weak = try await admin.post(
                client,
                "/admin/accounts",
                [("email", "new@example.org"), ("role", "editor"), ("password", "password1234")]
            )
            #expect(weak.status == .unprocessableContent)
            #expect(weak.text.contains("too common"))
            #expect(!weak.text.contains("password1234"))
            #expect(
                try await admin.post(client, "/admin/accounts", [("email", "new@example.org"), ("role", "editor"), ("password", staffPassword)])
                    .status == .seeOther
            )
            let page = try await admin.get(client, "/admin/accounts").text
            #expect(page.contains("new@example.org"))
            let roleURL = try #require(page.ranges(of: #"/admin/accounts/[0-9a-f-]+/role"#).last.map { String(page[$0]) })
            #expect(try await admin.post(client, roleURL, [("role", "organizer")]).status == .seeOther)
        }
        try await site.withStore { store async throws in
            #expect(try await StaffAccount.query(on: store.database).filter(\.$email == "new@example.org").first()?.role == .organizer)
            let actions = try await AuditEntry.query(on: store.database).all().map(\.action)
            #expect(actions.filter { $0 == "account.created" }.count == 2)
            #expect(actions.contains("account.role_changed"))
        }
    }
}

@Suite("Staff commands")
struct StaffCommandTests {
    func run(_ arguments: [String], dataDirectory: String, input: String? = nil) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = ServerProcessTests.executable
        process.arguments = arguments
        process.environment = ["COMMONS_DATA_DIR": dataDirectory, "LOG_LEVEL": "error", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = await output.fileHandleForReading.readAllWithoutBlocking()
        await process.exited()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: ServerProcessTests.executable != nil, "the commons executable is not built (run swift build first)"))
    func test_user_add_and_export_supporters_on_the_command_line() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        let folder = site.settings.dataDirectory
        try await site.run { client async throws in
            for (name, email) in [("Ana", "ana@example.org"), ("+Bo", "bo@example.org")] {
                _ = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, [("given_name", name), ("email", email)])
            }
        }
        let weak = try await run(
            ["user", "add", "--email", "a@example.org", "--role", "admin", "--password-stdin"],
            dataDirectory: folder,
            input: "short\n"
        )
        #expect(weak.status != 0)
        #expect(weak.output.contains("Use at least 12 characters."))
        let added = try await run(
            ["user", "add", "--email", "Org@Example.org", "--role", "organizer", "--password-stdin"],
            dataDirectory: folder,
            input: staffPassword + "\n"
        )
        #expect(added.status == 0, "\(added.output)")
        let generated = try await run(["user", "add", "--email", "ed@example.org", "--role", "editor"], dataDirectory: folder)
        let password = try #require(
            generated.output.components(separatedBy: "Password (shown once, keep it safe): ").last?.trimmingCharacters(in: .whitespacesAndNewlines)
        )
        #expect(password.count >= 25)

        let file = folder + "/export.csv"
        let exported = try await run(["export", "supporters", "--campaign", "sanctuary-schools", "--out", file], dataDirectory: folder)
        #expect(exported.status == 0, "\(exported.output)")
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let cli = try Data(contentsOf: URL(fileURLWithPath: file))
        try await site.run { client async throws in
            #expect(try await client.signInAttempt(email: "ed@example.org", password: password).status == .seeOther)
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            let web = try await organizer.get(client, "/admin/supporters/export.csv")
            #expect(Data(web.body.readableBytesView) == cli)
        }
        #expect(String(decoding: cli, as: UTF8.self).contains("'+Bo,"))
        try await site.withStore { store async throws in
            let exports = try await AuditEntry.query(on: store.database).filter(\.$action == "supporters.exported").all()
            #expect(exports.contains { $0.detail.hasPrefix("command line") && $0.detail.hasSuffix("rows=2") })
        }
    }
}

extension String {
    fileprivate func prefixed() -> String { hasPrefix("/") ? self : "/" + self }

    func ranges(of pattern: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var start = startIndex
        while let found = range(of: pattern, options: .regularExpression, range: start..<endIndex) {
            result.append(found)
            start = found.upperBound
        }
        return result
    }
}

@Suite("Staff editors")
struct StaffEditorTests {
    func multipartBody(boundary: String, fields: [(String, String)], files: [(name: String, fileName: String, bytes: Data)]) -> ByteBuffer {
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for file in files {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        .utf8
                )
            )
            body.append(file.bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return ByteBuffer(bytes: body)
    }

    func upload(
        _ client: any TestClientProtocol,
        _ browser: StaffBrowser,
        _ path: String,
        fields: [(String, String)],
        file: (String, Data)?,
        more: [(name: String, fileName: String, bytes: Data)] = []
    ) async throws -> TestResponse {
        let boundary = "commons-test-boundary"
        return try await client.execute(
            uri: path,
            method: .post,
            headers: [.cookie: browser.cookie, .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: multipartBody(
                boundary: boundary,
                fields: [("csrf_token", browser.csrf)] + fields,
                files: (file.map { [("file", $0.0, $0.1)] } ?? []) + more
            )
        )
    }

    @Test func test_editor_writes_pages_and_manages_documents() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let page = try await editor.post(
                client,
                "/admin/pages",
                [("title", "About CEJ"), ("slug", "about"), ("body", "We are parents."), ("status", "published")]
            )
            #expect(page.status == .seeOther)
            #expect(try await client.get("/about").text.contains("We are parents."))
            let reserved = try await editor.post(
                client,
                "/admin/pages",
                [("title", "News"), ("slug", "news"), ("body", "x"), ("status", "published")]
            )
            #expect(reserved.status == .unprocessableContent)
            #expect(reserved.text.contains("This address is used by the site itself."))

            // A file whose bytes are not what its name says is refused, and nothing is stored.
            let lying = try await upload(
                client,
                editor,
                "/admin/documents",
                fields: [("title", "Flyer")],
                file: ("flyer.pdf", Data("<script>alert(1)</script>".utf8))
            )
            #expect(lying.status == .unprocessableContent)
            #expect(lying.text.contains("This kind of file cannot be published."))
            #expect(lying.text.contains("value=\"Flyer\""))

            let pdf = Data("%PDF-1.4\nflyer one\n%%EOF\n".utf8)
            let uploaded = try await upload(
                client,
                editor,
                "/admin/documents",
                fields: [("title", "Rally flyer"), ("description", "Where and when.")],
                file: ("Rally Flyer.pdf", pdf)
            )
            #expect(uploaded.status == .seeOther)
            let editURL = try #require(uploaded.headers[.location])
            #expect(String(buffer: try await client.get("/documents/rally-flyer/file").body) == String(decoding: pdf, as: UTF8.self))

            // Replacing the file keeps the address; renaming leaves a redirect.
            let newPDF = Data("%PDF-1.4\nflyer two\n%%EOF\n".utf8)
            let replaced = try await upload(
                client,
                editor,
                editURL,
                fields: [("title", "Rally flyer"), ("slug", "rally-flyer-2026"), ("description", "Updated.")],
                file: ("v2.pdf", newPDF)
            )
            #expect(replaced.status == .seeOther)
            #expect(String(buffer: try await client.get("/documents/rally-flyer-2026/file").body).contains("flyer two"))
            #expect(try await client.get("/documents/rally-flyer").headers[.location] == "/documents/rally-flyer-2026")

            // Only document uploads may be large; any other staff form is capped at 64 KB.
            let bigPage = try await upload(
                client,
                editor,
                "/admin/pages",
                fields: [("title", "Big"), ("body", String(repeating: "x", count: 100 * 1024))],
                file: nil
            )
            #expect(bigPage.status == .contentTooLarge)
            #expect(try await editor.post(client, editURL + "/delete").status == .seeOther)
            #expect(try await client.get("/documents/rally-flyer-2026").status == .gone)
        }
    }

    @Test func test_organizer_runs_campaigns_and_events() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "org@example.org", role: .organizer)
        try await site.run { client async throws in
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            let created = try await organizer.post(
                client,
                "/admin/campaigns",
                [
                    ("title", "Fund Libraries"), ("kind", "petition"), ("status", "open"), ("description", "Sign."),
                    ("petition_text", "Fund every school library."),
                    ("goal", "1000"), ("featured", "yes"), ("ask_postal_code", "yes"), ("require_postal_code", "yes"),
                ]
            )
            #expect(created.status == .seeOther)
            let campaignPage = try await client.get("/campaigns/fund-libraries").text
            #expect(campaignPage.contains("Fund every school library."))
            #expect(campaignPage.contains("ZIP code <span class=\"required\">"))
            // Featuring it took the feature from Sanctuary Schools.
            #expect(try await client.get("/").text.contains("Sign up: Fund Libraries"))

            let editURL = try #require(created.headers[.location])
            let closed = try await organizer.post(
                client,
                editURL,
                [
                    ("title", "Fund Libraries"), ("slug", "fund-libraries"), ("kind", "petition"), ("status", "closed"), ("description", "Sign."),
                    ("petition_text", "Fund every school library."), ("goal", "1000"),
                ]
            )
            #expect(closed.status == .seeOther)
            #expect(try await client.get("/campaigns/fund-libraries").text.contains("This campaign is closed."))

            let noText = try await organizer.post(
                client,
                "/admin/campaigns",
                [("title", "Empty petition"), ("kind", "petition"), ("status", "open"), ("description", "x")]
            )
            #expect(noText.status == .unprocessableContent)
            #expect(noText.text.contains("Enter the petition&#39;s text."))

            let event = try await organizer.post(
                client,
                "/admin/events",
                [
                    ("title", "Budget forum"), ("status", "scheduled"), ("starts_at", "2030-03-10T18:00"), ("ends_at", "2030-03-10T20:00"),
                    ("time_zone", "America/New_York"),
                    ("venue", "P.S. 1"), ("capacity", "40"), ("description", "Come."),
                ]
            )
            #expect(event.status == .seeOther)
            let eventPage = try await client.get("/events/budget-forum").text
            #expect(eventPage.contains("Sunday, March 10, 2030, 6:00"))
            #expect(eventPage.contains("40 places left."))
            let backwards = try await organizer.post(
                client,
                "/admin/events",
                [("title", "Backwards"), ("starts_at", "2030-03-10T18:00"), ("ends_at", "2030-03-10T17:00"), ("time_zone", "America/New_York")]
            )
            #expect(backwards.status == .unprocessableContent)
            #expect(backwards.text.contains("The end must come after the start."))
            let eventEdit = try #require(event.headers[.location])
            _ = try await organizer.post(
                client,
                eventEdit,
                [
                    ("title", "Budget forum"), ("slug", "budget-forum"), ("status", "cancelled"), ("starts_at", "2030-03-10T18:00"),
                    ("ends_at", "2030-03-10T20:00"),
                    ("time_zone", "America/New_York"), ("description", "Come."),
                ]
            )
            #expect(try await client.get("/events/budget-forum").text.contains("This event was cancelled."))
        }
    }

    @Test func test_admin_changes_the_site_settings_and_organizer_edits_a_supporter() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.run { client async throws in
            _ = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, [("given_name", "Rosa"), ("email", "rosa@example.org")])
            let admin = try #require(try await StaffBrowser.signIn(client, email: "ada@example.org"))
            let settings = try await admin.get(client, "/admin/settings").text
            #expect(settings.contains("value=\"NYC Coalition for Educational Justice\""))
            // The contact address is printed in a mailto: link on every page: checked like everyone's.
            for bad in ["a@b", "x@y.org?bcc=z@w.org", "info@example.org\r\nBcc: x@y.org"] {
                let refused = try await admin.post(client, "/admin/settings", [("site_name", "CEJ"), ("contact_email", bad)])
                #expect(refused.status == .unprocessableContent, "\(bad)")
            }
            let saved = try await admin.post(
                client,
                "/admin/settings",
                [("site_name", "CEJ"), ("tagline", "Parents first"), ("contact_email", "info@example.org")]
            )
            #expect(saved.status == .seeOther)
            let home = try await client.get("/").text
            #expect(home.contains("<title>CEJ</title>"))
            // The mission and platform were unset, so the home page leaves them out.
            #expect(!home.contains("Our Mission</h2>"))

            let list = try await admin.get(client, "/admin/supporters").text
            let link = try #require(list.range(of: #"/admin/supporters/[0-9a-f-]{36}"#, options: .regularExpression))
            let edit = String(list[link]) + "/edit"
            let bad = try await admin.post(client, edit, [("given_name", "Rosa"), ("email", "not an email")])
            #expect(bad.status == .unprocessableContent)
            let good = try await admin.post(
                client,
                edit,
                [("given_name", "Rosa"), ("family_name", "Parks"), ("email", "rosa@example.org"), ("postal_code", "10027")]
            )
            #expect(good.status == .seeOther)
            #expect(try await admin.get(client, String(list[link])).text.contains("10027"))
        }
        try await site.withStore { store async throws in
            let actions = try await AuditEntry.query(on: store.database).all().map(\.action)
            #expect(actions.contains("settings.changed"))
            #expect(actions.contains("supporter.edited"))
        }
    }
}
