import CommonsAudit
import CommonsCore
import CommonsStorage
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CommonsAccounts
@testable import CommonsWeb

/// What a test keeps of an authenticator app: the secret read off the enrolment page.
struct Authenticator {
    let secret: [UInt8]

    init(enrolmentPage html: String) throws {
        let marker = try #require(html.range(of: "id=\"two-factor-secret\" type=\"text\" readonly value=\""))
        let text = String(html[marker.upperBound...].prefix { $0 != "\"" })
        secret = try #require(Base32.decode(text))
        #expect(secret.count == TOTP.secretSize)
    }

    func code(at date: Date, steps: Int64 = 0) -> String { TOTP.code(secret: secret, step: TOTP.step(at: date) + steps) }
}

/// The recovery codes a page shows once.
func recoveryCodes(in html: String) -> [String] {
    html.matches(of: /<li><code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2})<\/code><\/li>/).map { String($0.output.1) }
}

/// The cookie named `name` that a response sets, as `name=value`.
func setCookie(_ response: TestResponse, _ name: String) -> String? {
    response.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }.map { String($0.prefix { $0 != ";" }) }
}

extension TestClientProtocol {
    /// The first step of a sign-in: answers the response and the pending cookie it set.
    func password(_ email: String, _ password: String = staffPassword) async throws -> (TestResponse, String?) {
        let response = try await signInAttempt(email: email, password: password)
        return (response, setCookie(response, PendingSignIn.cookieName))
    }

    /// The second step: the code page's form.
    func code(_ code: String, pending: String) async throws -> TestResponse {
        try await execute(
            uri: "/admin/login/code",
            method: .post,
            headers: [.cookie: pending, .contentType: "application/x-www-form-urlencoded"],
            body: formBody([("code", code)])
        )
    }
}

@Suite("Two-factor sign-in, step-up, sessions and passwords")
struct TwoFactorTests {
    @Test func test_totp_and_base32_match_the_rfc_vectors() {
        // RFC 6238 appendix B (SHA-1, secret "12345678901234567890"), last six of the eight digits.
        let secret = Array("12345678901234567890".utf8)
        let vectors: [(TimeInterval, String)] = [
            (59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"), (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ]
        for (time, code) in vectors {
            #expect(TOTP.code(secret: secret, step: TOTP.step(at: Date(timeIntervalSince1970: time))) == code, "\(time)")
        }
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.step(at: now)
        #expect(TOTP.matchingStep("050471", secret: secret, at: now) == step)
        #expect(TOTP.matchingStep("050 471", secret: secret, at: now) == step)
        #expect(TOTP.matchingStep(TOTP.code(secret: secret, step: step - 1), secret: secret, at: now) == step - 1)
        #expect(TOTP.matchingStep(TOTP.code(secret: secret, step: step + 1), secret: secret, at: now) == step + 1)
        #expect(TOTP.matchingStep(TOTP.code(secret: secret, step: step - 2), secret: secret, at: now) == nil)
        for hostile in ["", "12345", "1234567", "١٢٣٤٥٦", "abcdef", String(repeating: "9", count: 10_000)] {
            #expect(TOTP.matchingStep(hostile, secret: secret, at: now) == nil)
        }
        // RFC 4648 section 10.
        for (plain, encoded) in [
            ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI"),
        ] {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base32.decode("MZ1W") == nil)
        let link = TOTP.link(secret: secret, issuer: "NYC Coalition for Educational Justice", account: "ana+cej@example.org")
        #expect(
            link
                == "otpauth://totp/NYC%20Coalition%20for%20Educational%20Justice:ana%2Bcej@example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=NYC%20Coalition%20for%20Educational%20Justice"
        )
    }

    /// A Python with zxing-cpp (CI installs it beside aiosmtpd).
    static var decoderPython: String? {
        ProcessInfo.processInfo.environment["COMMONS_TEST_QR_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    }

    @Test(.enabled(if: decoderPython != nil, "set COMMONS_TEST_QR_PYTHON to a Python with zxing-cpp (.ci/run does)"))
    func test_the_qr_code_reads_back_with_zxing() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = Array("12345678901234567890".utf8)
        let texts = [
            "A",
            TOTP.link(secret: secret, issuer: "Commons", account: "ana@example.org"),
            TOTP.link(
                secret: secret,
                issuer: "NYC Coalition for Educational Justice",
                account: "organizer.with.a.long.name@coalition-member-union.example.org"
            ),
            String(repeating: "otpauth-long-", count: 40),  // 520 bytes: version 16, version blocks and 16-bit lengths
        ]
        for text in texts {
            let code = try #require(QRCode(text))
            let file = folder.appendingPathComponent("code.svg")
            try code.svg(label: "code").write(to: file, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.decoderPython!)
            process.arguments = [
                URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/qr_decode.py").path, file.path,
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let read = String(decoding: await output.fileHandleForReading.readAllWithoutBlocking(), as: UTF8.self)
            await process.exited()
            #expect(process.terminationStatus == 0 && read == text, "version \(code.version): \(read)")
        }
        #expect(QRCode(String(repeating: "x", count: 3000)) == nil)
    }

    static func site(_ backend: TestDatabase.Backend, clock: TestClock) async throws -> TestSite {
        var site = try await TestSite.make(backend, demo: false, clock: clock.clock)
        site.settings.requireTwoFactor = [.admin, .organizer]
        return site
    }

    /// An admin is held at enrolment, enrols, and signs in with codes: wrong, replayed and
    /// stale codes fail, a recovery code works once, five wrong codes lock the account out.
    func twoFactorSignIn(_ backend: TestDatabase.Backend) async throws {
        // The start of a 30-second step, so "30 seconds later" is always the next one.
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let site = try await Self.site(backend, clock: clock)
        defer { Task { await site.destroy() } }
        let adminID = try await addStaff(site, email: "ana@example.org", role: .admin)
        try await addStaff(site, email: "eli@example.org", role: .editor)
        try await site.run { client in
            // The password alone opens a session, held at enrolment.
            let admin = try #require(try await StaffBrowser.signIn(client, email: "ana@example.org"))
            for path in ["/admin", "/admin/supporters", "/admin/account/sessions", "/es/admin/accounts"] {
                let held = try await admin.get(client, path)
                #expect(held.status == .seeOther && held.headers[.location]?.hasSuffix("/admin/account/two-factor") == true, "\(path)")
            }
            #expect(try await admin.post(client, "/admin/posts", [("title", "x")]).status == .forbidden)
            // An editor's role does not require it.
            let editor = try #require(try await StaffBrowser.signIn(client, email: "eli@example.org"))
            #expect(try await editor.get(client, "/admin/posts").status == .ok)

            let enrolment = try await admin.get(client, "/admin/account/two-factor")
            #expect(enrolment.status == .ok)
            #expect(enrolment.text.contains("otpauth://totp/Commons:ana@example.org?secret="))
            #expect(enrolment.text.contains("<svg") && enrolment.text.contains("role=\"img\""))
            let app = try Authenticator(enrolmentPage: enrolment.text)
            #expect(try Authenticator(enrolmentPage: try await admin.get(client, "/admin/account/two-factor").text).secret == app.secret)
            let wrong = String(format: "%06d", (Int(app.code(at: clock.clock.now))! + 1) % 1_000_000)
            #expect(try await admin.post(client, "/admin/account/two-factor", [("code", wrong)]).status == .unprocessableContent)
            let enrolled = try await admin.post(client, "/admin/account/two-factor", [("code", app.code(at: clock.clock.now))])
            #expect(enrolled.status == .ok)
            let codes = recoveryCodes(in: enrolled.text)
            #expect(codes.count == 10 && Set(codes).count == 10)
            #expect(try await admin.get(client, "/admin").status == .ok)
            try await site.withStore { store async throws in
                // The secret is stored sealed, not as its Base32 text; recovery codes only as hashes.
                let account = try #require(try await StaffAccount.find(adminID, on: store.database))
                #expect(account.hasTwoFactor)
                let stored = try #require(account.totpSecret)
                #expect(!String(decoding: stored, as: UTF8.self).contains(Base32.encode(app.secret)))
                let hashes = try await RecoveryCode.query(on: store.database).all().map(\.codeHash)
                #expect(hashes.count == 10 && !hashes.contains(codes[0]))
            }

            // The password now leads to the code page, and no session exists yet.
            let (first, pending) = try await client.password("ana@example.org")
            #expect(first.status == .seeOther && first.headers[.location] == "/admin/login/code")
            #expect(setCookie(first, StaffSessionMiddleware.cookieName) == nil)
            let pendingCookie = try #require(pending)
            #expect(try await client.get("/admin", headers: [.cookie: pendingCookie]).headers[.location] == "/admin/login")
            #expect(try await client.get("/admin/login/code", headers: [.cookie: pendingCookie]).status == .ok)

            // The code used to enrol is spent; a code two steps old is too old.
            #expect(try await client.code(app.code(at: clock.clock.now), pending: pendingCookie).status == .unauthorized)
            clock.advance(by: 30)
            #expect(try await client.code(app.code(at: clock.clock.now, steps: -2), pending: pendingCookie).status == .unauthorized)
            let signedIn = try await client.code(app.code(at: clock.clock.now), pending: pendingCookie)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/admin")
            let session = try #require(setCookie(signedIn, StaffSessionMiddleware.cookieName))
            #expect(session != admin.cookie)
            #expect(try await client.get("/admin", headers: [.cookie: session]).status == .ok)
            // The same code again, at once, in a second sign-in: refused.
            let (_, again) = try await client.password("ana@example.org")
            #expect(try await client.code(app.code(at: clock.clock.now), pending: try #require(again)).status == .unauthorized)
            // A code from the next step (one step of drift) is accepted.
            #expect(try await client.code(app.code(at: clock.clock.now, steps: 1), pending: try #require(again)).status == .seeOther)

            // A recovery code signs in once.
            let (_, lost) = try await client.password("ana@example.org")
            #expect(try await client.code(codes[3].uppercased(), pending: try #require(lost)).status == .seeOther)
            #expect(try await client.code(codes[3], pending: try #require(lost)).status == .unauthorized)

            // Five wrong codes in fifteen minutes lock the account: even the right code waits.
            clock.advance(by: 16 * 60)
            let (_, guessing) = try await client.password("ana@example.org")
            for guess in ["000000", "111111", "222222", "333333", "444444"] where guess != app.code(at: clock.clock.now) {
                #expect(try await client.code(guess, pending: try #require(guessing)).status == .unauthorized)
            }
            let locked = try await client.code(app.code(at: clock.clock.now), pending: try #require(guessing))
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers[.retryAfter] ?? "") ?? 0 > 0)
            // A forged or expired pending cookie opens nothing.
            clock.advance(by: 16 * 60)
            #expect(try await client.code(app.code(at: clock.clock.now), pending: try #require(guessing)).status == .unprocessableContent)
            #expect(
                try await client.code("123456", pending: "\(PendingSignIn.cookieName)=\(adminID.uuidString).1~forged").status == .unprocessableContent
            )
        }
        try await site.withStore { store async throws in
            let actions = try await AuditEntry.query(on: store.database).all().map(\.action)
            for action in [
                "twofactor.enabled", "signin.succeeded", "signin.succeeded_recovery_code", "twofactor.recovery_code_used", "signin.throttled",
            ] {
                #expect(actions.contains(action), "\(action)")
            }
        }
    }

    @Test func test_two_factor_sign_in_on_sqlite() async throws { try await twoFactorSignIn(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_two_factor_sign_in_on_postgres() async throws { try await twoFactorSignIn(.postgres) }

    /// Ten minutes after the last password or code, the export and other dangerous actions
    /// ask again, then go on with what was asked.
    @Test func test_step_up_asks_again_after_ten_minutes_and_continues() async throws {
        let clock = TestClock()
        let site = try await Self.site(.sqlite, clock: clock)
        defer { Task { await site.destroy() } }
        var relaxed = site
        relaxed.settings.requireTwoFactor = []
        try await addStaff(site, email: "ana@example.org", role: .admin)
        try await relaxed.run { client in
            let admin = try #require(try await StaffBrowser.signIn(client, email: "ana@example.org"))
            let export = "/admin/supporters/export.csv?tag=parents"
            #expect(try await admin.get(client, export).headers[.contentType]?.hasPrefix("text/csv") == true)
            clock.advance(by: 9 * 60)
            #expect(try await admin.get(client, export).headers[.contentType]?.hasPrefix("text/csv") == true)
            clock.advance(by: 2 * 60)
            let asked = try await admin.get(client, export)
            #expect(asked.status == .ok && asked.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(asked.text.contains("action=\"/admin/account/confirm\"") && asked.text.contains("name=\"return_to\" value=\"\(export)\""))
            let refused = try await admin.post(client, "/admin/account/confirm", [("return_to", export), ("step_up", "not-my-password")])
            #expect(refused.status == .unauthorized)
            // Somewhere else is not where the form may lead.
            let elsewhere = try await admin.post(
                client,
                "/admin/account/confirm",
                [("return_to", "//evil.example/admin"), ("step_up", staffPassword)]
            )
            #expect(elsewhere.status == .seeOther && elsewhere.headers[.location] == "/admin")
            clock.advance(by: 11 * 60)
            let confirmed = try await admin.post(client, "/admin/account/confirm", [("return_to", export), ("step_up", staffPassword)])
            #expect(confirmed.status == .seeOther && confirmed.headers[.location] == export)
            #expect(try await admin.get(client, export).headers[.contentType]?.hasPrefix("text/csv") == true)

            // A form is kept: the token's name comes back in the step-up page and is used after it.
            clock.advance(by: 11 * 60)
            let form = try await admin.post(client, "/admin/api-tokens", [("name", "Union \"CRM\""), ("scope", "read"), ("expires_days", "")])
            #expect(form.status == .ok && form.text.contains("name=\"name\" value=\"Union &quot;CRM&quot;\""))
            #expect(form.text.contains("action=\"/admin/api-tokens\""))
            let made = try await admin.post(
                client,
                "/admin/api-tokens",
                [("name", "Union \"CRM\""), ("scope", "read"), ("expires_days", ""), ("step_up", staffPassword)]
            )
            #expect(made.status == .ok && made.text.contains("commons_"))
        }
        try await site.withStore { store async throws in
            #expect(try await AuditEntry.query(on: store.database).filter(\.$action == "stepup.succeeded").count() == 3)
        }
    }

    @Test func test_sessions_are_listed_and_ended_and_passwords_follow_the_rules() async throws {
        let clock = TestClock()
        let site = try await Self.site(.sqlite, clock: clock)
        defer { Task { await site.destroy() } }
        var relaxed = site
        relaxed.settings.requireTwoFactor = []
        try await addStaff(site, email: "ana@example.org", role: .admin)
        let mariaID = try await addStaff(site, email: "maria.lopez@example.org", role: .organizer)
        try await relaxed.run { client in
            let laptop = try #require(try await StaffBrowser.signIn(client, email: "maria.lopez@example.org"))
            let phone = try #require(try await StaffBrowser.signIn(client, email: "maria.lopez@example.org"))
            let desk = try #require(try await StaffBrowser.signIn(client, email: "maria.lopez@example.org"))
            let page = try await laptop.get(client, "/admin/account/sessions")
            #expect(page.status == .ok)
            #expect(page.text.components(separatedBy: "name=\"session\"").count - 1 == 2)
            #expect(!page.text.contains("127.0.0.1"))
            // Sign out one other session by its handle.
            let handle = try #require(page.text.firstMatch(of: /name="session" value="([0-9a-f]{20})"/).map { String($0.output.1) })
            #expect(try await laptop.post(client, "/admin/account/sessions/end", [("session", handle)]).status == .seeOther)
            let alive = try await [phone.get(client, "/admin").status, desk.get(client, "/admin").status]
            #expect(alive.filter { $0 == .ok }.count == 1)
            // Everywhere else.
            #expect(try await laptop.post(client, "/admin/account/sessions/end-others").status == .seeOther)
            #expect(try await phone.get(client, "/admin").status == .seeOther)
            #expect(try await desk.get(client, "/admin").status == .seeOther)
            #expect(try await laptop.get(client, "/admin").status == .ok)

            // Passwords: the current one is needed, and the new one must pass the rules.
            let other = try #require(try await StaffBrowser.signIn(client, email: "maria.lopez@example.org"))
            for (current, new, field) in [
                ("wrong-password-1234", "a-brand-new-passphrase", "current_password"),
                ("", "a-brand-new-passphrase", "current_password"),
                (staffPassword, "short", "new_password"),
                (staffPassword, "LeaveMeAlone", "new_password"),
                (staffPassword, "iloveyou", "new_password"),
                (staffPassword, "MARIA.LOPEZ-rocks-2026", "new_password"),
            ] {
                let refused = try await laptop.post(client, "/admin/account/password", [("current_password", current), ("new_password", new)])
                #expect(refused.status == .unprocessableContent, "\(new)")
                #expect(refused.text.contains("id=\"\(field == "current_password" ? "current-password" : "new-password")-error\""), "\(new)")
            }
            let changed = try await laptop.post(
                client,
                "/admin/account/password",
                [("current_password", staffPassword), ("new_password", "lanterns-over-the-hudson")]
            )
            #expect(changed.status == .ok)
            #expect(try await other.get(client, "/admin").status == .seeOther)
            #expect(try await laptop.get(client, "/admin").status == .ok)
            #expect(try await StaffBrowser.signIn(client, email: "maria.lopez@example.org") == nil)
            let renewed = try #require(try await StaffBrowser.signIn(client, email: "maria.lopez@example.org", password: "lanterns-over-the-hudson"))

            // An admin ends another member's sessions.
            let admin = try #require(try await StaffBrowser.signIn(client, email: "ana@example.org"))
            let endURL = "/admin/accounts/\(mariaID.uuidString.lowercased())/sessions/end"
            #expect(try await admin.get(client, "/admin/accounts").text.lowercased().contains("action=\"\(endURL)\""))
            #expect(try await admin.post(client, endURL).status == .seeOther)
            #expect(try await renewed.get(client, "/admin").status == .seeOther)
            #expect(try await laptop.get(client, "/admin").status == .seeOther)
            #expect(try await admin.get(client, "/admin").status == .ok)
        }
        try await site.withStore { store async throws in
            let actions = try await AuditEntry.query(on: store.database).all().map(\.action)
            #expect(actions.filter { $0 == "session.ended" }.count == 3)
            #expect(actions.contains("account.password_changed"))
        }
    }

    /// An admin resets a member's two-factor (they enrol again); `commons user reset-2fa` does
    /// the same for an admin who lost everything.
    @Test func test_admins_and_the_command_line_reset_two_factor() async throws {
        let clock = TestClock()
        let site = try await Self.site(.sqlite, clock: clock)
        defer { Task { await site.destroy() } }
        let organizerID = try await addStaff(site, email: "org@example.org", role: .organizer)
        try await addStaff(site, email: "ana@example.org", role: .admin)
        try await site.run { client in
            var organizer: StaffBrowser?
            for email in ["org@example.org", "ana@example.org"] {
                let browser = try #require(try await StaffBrowser.signIn(client, email: email))
                if email == "org@example.org" { organizer = browser }
                let app = try Authenticator(enrolmentPage: try await browser.get(client, "/admin/account/two-factor").text)
                #expect(try await browser.post(client, "/admin/account/two-factor", [("code", app.code(at: clock.clock.now))]).status == .ok)
                if email == "ana@example.org" {
                    // A wrong password reads the same whether the account exists and has two-factor or not.
                    let known = try await client.password(email, "wrong-password-123").0
                    let unknown = try await client.password("nobody@example.org", "wrong-password-123").0
                    #expect(known.status == .unauthorized && unknown.status == .unauthorized)
                    #expect(setCookie(known, PendingSignIn.cookieName) == nil)
                    func message(_ html: String) -> String? { html.firstMatch(of: /role="alert"><p>([^<]*)</).map { String($0.output.1) } }
                    #expect(message(known.text) != nil && message(known.text) == message(unknown.text))
                    let (_, pending) = try await client.password(email)
                    clock.advance(by: 30)
                    let pendingCookie = try #require(pending)
                    let signedIn = try await client.code(app.code(at: clock.clock.now), pending: pendingCookie)
                    let session = try #require(setCookie(signedIn, StaffSessionMiddleware.cookieName))
                    let page = try await client.get("/admin/accounts", headers: [.cookie: session])
                    let csrf = try #require(csrfToken(in: page.text))
                    let admin = StaffBrowser(cookie: session, csrf: csrf)
                    let reset = "/admin/accounts/\(organizerID.uuidString.lowercased())/two-factor/reset"
                    #expect(page.text.lowercased().contains("action=\"\(reset)\""))
                    #expect(try await admin.post(client, reset).status == .seeOther)
                    // The organizer was signed out and is held at enrolment again.
                    let signedOut = try #require(organizer)
                    #expect(try await signedOut.get(client, "/admin").headers[.location] == "/admin/login")
                    let again = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
                    #expect(try await again.get(client, "/admin").headers[.location] == "/admin/account/two-factor")
                }
            }
        }
        try await site.withStore { store async throws in
            #expect(try await AuditEntry.query(on: store.database).filter(\.$action == "twofactor.reset").count() == 1)
        }
        guard ServerProcessTests.executable != nil else { return }
        let commands = StaffCommandTests()
        let done = try await commands.run(["user", "reset-2fa", "--email", "ANA@example.org"], dataDirectory: site.settings.dataDirectory)
        #expect(done.status == 0 && done.output.contains("Turned off two-factor sign-in for ana@example.org"), "\(done.output)")
        let unknown = try await commands.run(["user", "reset-2fa", "--email", "nobody@example.org"], dataDirectory: site.settings.dataDirectory)
        #expect(unknown.status != 0 && unknown.output.contains("no staff account"))
        try await site.withStore { store async throws in
            let account = try #require(try await StaffDirectory(database: store.database, clock: .system).account(email: "ana@example.org"))
            #expect(!account.hasTwoFactor)
            let entries = try await AuditEntry.query(on: store.database).filter(\.$action == "twofactor.reset").all()
            #expect(entries.count == 2 && entries.contains { $0.detail.contains("command line") })
        }
    }
}
