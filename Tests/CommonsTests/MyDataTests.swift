import CommonsAudit
import CommonsMail
import CommonsOrganizing
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// A supporter's own data in their own hands (`/my-data`): a link by email, a button, a short
/// session, the page and the download; through the real application and a real SMTP server.
@Suite("Your data", .enabled(if: SMTPTestServer.python != nil, "set COMMONS_TEST_SMTP_PYTHON to a Python with aiosmtpd"))
struct MyDataTests {
    @Test func test_a_supporter_sees_and_downloads_their_own_data_by_a_link_that_works_once() async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        let clock = TestClock()
        let site = try await MailTests().site(smtp, clock: clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            #expect(try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, canary).status == .seeOther)
            let other = [("given_name", "Otherperson"), ("email", "other.person@example.org")]
            #expect(try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, other).status == .seeOther)
            _ = try await smtp.waitForMessages(2)

            // Asking: the same page for a known and an unknown address, after the same time.
            @Sendable func ask(_ email: String, language: String = "") async throws -> (text: String, took: Duration) {
                let form = try await client.get(language + "/my-data")
                #expect(form.headers[.cacheControl] == "private, no-store")
                let token = try formToken(in: form.text)
                clock.advance(by: 5)
                let started = ContinuousClock.now
                let answer = try await client.post(language + "/my-data", form: [("form_token", token), ("email", email)])
                #expect(answer.status == .ok)
                return (answer.text, ContinuousClock.now - started)
            }
            // Two of each, alternating, compared by their quickest: a pause of the machine under
            // the whole suite's load lengthens one answer, not the quickest of two (the address
            // may ask three times an hour; the third is kept for the expired link below).
            var knownTimes: [Duration] = []
            var unknownTimes: [Duration] = []
            for round in 0..<2 {
                let known = try await ask(" Canary.Person@Example.ORG ")
                let unknown = try await ask(round == 0 ? "nobody.here@example.org" : "nobody.\(round)@example.org")
                #expect(known.text == unknown.text)
                #expect(known.text.contains("If we hold data for this address, a link is on its way."))
                #expect(known.took >= MyDataRoutes.answerTime && unknown.took >= MyDataRoutes.answerTime)
                knownTimes.append(known.took)
                unknownTimes.append(unknown.took)
            }
            let quickestKnown = try #require(knownTimes.min())
            let quickestUnknown = try #require(unknownTimes.min())
            #expect(abs((quickestKnown - quickestUnknown) / .milliseconds(1)) < 400, "\(knownTimes) against \(unknownTimes)")
            let wrongToken = try formToken(in: try await client.get("/my-data").text)
            clock.advance(by: 5)
            let wrong = try await client.post("/my-data", form: [("form_token", wrongToken), ("email", "x")])
            #expect(wrong.status == .unprocessableContent)

            // The message: to the address on file, in the person's own language (Spanish).
            let messages = try await smtp.waitForMessages(4)
            #expect(messages.count == 4)
            @Sendable func linkPath() throws -> String {
                let parsed = smtp.parsedMessages()
                let text = try #require(parsed.last { $0.part("text/plain")?.content?.contains("/my-data/") == true }?.part("text/plain")?.content)
                let start = try #require(text.range(of: "https://commons.test/"))
                return String(text[start.lowerBound...].prefix { !$0.isWhitespace }.dropFirst("https://commons.test".count))
            }
            let path = try linkPath()
            #expect(path.hasPrefix("/es/my-data/"))
            #expect(smtp.parsedMessages().last?.subject.hasPrefix("Sus datos") == true)

            // Opening the link changes nothing (mail scanners do it); the button starts the session.
            #expect(try await client.get(path).text.contains("Mostrar mis datos"))
            #expect(try await client.get(path).status == .ok)
            let opened = try await client.post(path, form: [])
            #expect(opened.status == .seeOther && opened.headers[.location] == "/es/my-data")
            let setCookie = try #require(opened.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Max-Age=1800"))
            let cookie = String(setCookie.prefix { $0 != ";" })
            // Once only.
            #expect(try await client.post(path, form: []).status == .gone)

            let page = try await client.get("/es/my-data", headers: [.cookie: cookie])
            #expect(page.headers[.cacheControl] == "private, no-store")
            for held in [
                "Zanzibarina", "Quetzalcoatlova", "canary.person@example.org", "+12125550199", "P.S. 999 Canary Academy", "Sanctuary Schools",
            ] {
                #expect(page.text.contains(held), "\(held)")
            }
            #expect(!page.text.contains("Otherperson") && !page.text.contains("other.person"))
            #expect(page.text.contains("36 meses"))

            let export = try await client.get("/my-data/export.json", headers: [.cookie: cookie])
            #expect(export.headers[.contentType] == "application/json; charset=utf-8")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(export.body.readableBytesView)) as? [String: Any])
            let person = try #require(json["person"] as? [String: Any])
            #expect(person["email"] as? String == "canary.person@example.org" && person["school"] as? String == "P.S. 999 Canary Academy")
            let actions = try #require(json["actions"] as? [[String: Any]])
            #expect(actions.count == 1 && actions.first?["title"] as? String == "Sanctuary Schools")
            #expect(!export.text.contains("other.person"))

            // Without the session, or with a forged or an old one: only the form.
            #expect(!(try await client.get("/my-data").text.contains("Zanzibarina")))
            let forged = cookie.replacingOccurrences(of: "=", with: "=0", options: [], range: cookie.range(of: "="))
            #expect(!(try await client.get("/my-data", headers: [.cookie: forged]).text.contains("Zanzibarina")))
            #expect(try await client.get("/my-data/export.json", headers: [.cookie: forged]).status == .seeOther)
            clock.advance(by: 31 * 60)
            #expect(!(try await client.get("/my-data", headers: [.cookie: cookie]).text.contains("Zanzibarina")))

            // A link left unused stops working after 30 minutes.
            _ = try await ask("canary.person@example.org", language: "/ar")
            _ = try await smtp.waitForMessages(5)
            let second = try linkPath()
            #expect(second != path)
            clock.advance(by: 31 * 60)
            #expect(try await client.get(second).status == .gone)
            #expect(try await client.post(second, form: []).status == .gone)
            #expect(try await client.get("/my-data/not-a-token").status == .gone)

            // In Arabic, right to left; the privacy page leads here.
            let arabic = try await client.get("/ar/my-data").text
            #expect(arabic.contains("dir=\"rtl\"") && arabic.contains("بياناتك"))
            #expect(try await client.get("/privacy").text.contains("href=\"/my-data\""))
        }
        // What they did themselves is on the record, without their data.
        try await site.withStore { store async throws in
            let entries = try await AuditEntry.query(on: store.database).filter(
                \.$action ~~ ["supporter.self_service_opened", "supporter.self_service_exported"]
            )
            .all()
            #expect(entries.count == 2)
            #expect(entries.allSatisfy { !$0.detail.contains("canary") && !$0.detail.contains("Zanzibarina") })
        }
    }

    /// Asks for a link in `language`, opens it, and answers the session's cookie and its forms' check.
    func session(
        _ client: any TestClientProtocol,
        _ smtp: SMTPTestServer,
        clock: TestClock,
        email: String,
        language: String,
        messages: Int
    ) async throws -> (cookie: String, check: String) {
        let token = try formToken(in: try await client.get(language + "/my-data").text)
        clock.advance(by: 5)
        _ = try await client.post(language + "/my-data", form: [("form_token", token), ("email", email)])
        _ = try await smtp.waitForMessages(messages)
        let text = try #require(
            smtp.parsedMessages().last { $0.part("text/plain")?.content?.contains("/my-data/") == true }?.part("text/plain")?.content
        )
        let start = try #require(text.range(of: "https://commons.test/"))
        let path = String(text[start.lowerBound...].prefix { !$0.isWhitespace }.dropFirst("https://commons.test".count))
        let opened = try await client.post(path, form: [])
        let cookie = String(try #require(opened.headers[.setCookie]).prefix { $0 != ";" })
        let page = try await client.get(language + "/my-data", headers: [.cookie: cookie]).text
        let marker = try #require(page.range(of: "name=\"check\" value=\""))
        return (cookie, String(page[marker.upperBound...].prefix { $0 != "\"" }))
    }

    @Test func test_a_supporter_corrects_stops_news_and_erases_themselves_on_sqlite() async throws {
        try await correctStopAndErase(.sqlite)
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable && PrivacyTests.pgDump != nil, "needs COMMONS_TEST_POSTGRES_URL and pg_dump"))
    func test_a_supporter_corrects_stops_news_and_erases_themselves_on_postgres() async throws {
        try await correctStopAndErase(.postgres)
    }

    func correctStopAndErase(_ backend: TestDatabase.Backend) async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        let clock = TestClock()
        let site = try await MailTests().site(smtp, clock: clock, backend: backend)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            #expect(try await client.fillAndSend("/es/campaigns/sanctuary-schools", clock: clock, canary).status == .seeOther)
            _ = try await smtp.waitForMessages(1)
            let (cookie, check) = try await session(client, smtp, clock: clock, email: "canary.person@example.org", language: "/es", messages: 2)
            @Sendable func post(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
                try await client.execute(
                    uri: path,
                    method: .post,
                    headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                    body: formBody(fields)
                )
            }
            let details = [("family_name", "Quetzalcoatlova"), ("postal_code", "10007"), ("school", ""), ("preferred_language", "ar")]
            // A mistake is named beside its field, in Spanish, and nothing changes.
            let wrong = try await post("/es/my-data/correct", [("check", check), ("given_name", "Zanzi"), ("phone", "12")] + details)
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("id=\"field-phone-error\""))
            // Without the session's check (another site's form), nothing happens.
            #expect(try await post("/es/my-data/correct", [("given_name", "Hacked"), ("phone", "")] + details).status == .seeOther)
            let saved = try await post("/es/my-data/correct", [("check", check), ("given_name", "Zanzi"), ("phone", "(718) 555-0123")] + details)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/es/my-data?done=corrected")
            let page = try await client.get("/es/my-data?done=corrected", headers: [.cookie: cookie]).text
            #expect(page.contains("Sus correcciones están guardadas.") && page.contains("+17185550123") && !page.contains("Hacked"))
            #expect(!page.contains("P.S. 999 Canary Academy"))

            // Email news off: at once, as an action on the record.
            #expect(try await post("/es/my-data/news", [("check", check)]).status == .seeOther)
            let after = try await client.get("/es/my-data", headers: [.cookie: cookie]).text
            #expect(after.contains("Dejó de recibir noticias"))

            // A mailing from now on skips them.
            try await site.withStore { store async throws in
                let directory = SupporterDirectory(database: store.database, keys: try site.dataKeys(), clock: clock.clock)
                #expect(try await directory.mailRecipients(SupporterFilter()).isEmpty)
            }

            // The sealed email as it sits in the file, to look for after the erasure.
            let sealed: Data = try await site.withStore { store async throws in
                let supporter = try #require(
                    try await SupporterVault(keys: try site.dataKeys()).supporter(withEmail: "canary.person@example.org", on: store.database)
                )
                #expect(!supporter.emailOptIn)
                let person = try SupporterVault(keys: try site.dataKeys()).open(supporter)
                #expect(person.givenName == "Zanzi" && person.phone == "+17185550123" && person.school == nil && person.preferredLanguage == "ar")
                return try #require(try await store.sql.raw("SELECT email FROM supporters").first()?.decode(column: "email", as: Data.self))
            }

            // Erasing: a confirmation that says what happens, then everything goes at once.
            let confirm = try await client.get("/es/my-data/erase", headers: [.cookie: cookie]).text
            #expect(confirm.contains("código cifrado") && confirm.contains("name=\"check\""))
            let erased = try await post("/es/my-data/erase", [("check", check)])
            #expect(erased.status == .ok && erased.text.contains("Todo está borrado"))
            #expect(erased.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(!(try await client.get("/es/my-data", headers: [.cookie: cookie]).text.contains("Zanzi")))

            try await site.withStore { store async throws in
                #expect(try await Supporter.query(on: store.database).count() == 0)
                #expect(try await Action.query(on: store.database).count() == 0)
                #expect(try await OutboxMessage.query(on: store.database).count() == 0)
                #expect(try await ErasedPerson.query(on: store.database).count() == 1)
                // A partner's import does not bring them back.
                let desk = ActionDesk(database: store.database, keys: try site.dataKeys(), clock: clock.clock)
                let imported = ActionSubmission(
                    person: Person(givenName: "Zanzibarina", email: "canary.person@example.org"),
                    emailOptIn: true,
                    smsOptIn: false,
                    formToken: "api:test"
                )
                await #expect(throws: ActionError.erased) { try await desk.signUp(imported, tags: []) }
                let audit = try await AuditEntry.query(on: store.database).filter(
                    \.$action ~~ ["supporter.self_service_corrected", "supporter.self_service_erased"]
                ).all()
                #expect(audit.count == 2 && audit.allSatisfy { !$0.detail.contains("Zanzi") && !$0.detail.contains("canary") })
            }
            if case .postgres(let url) = site.database.location {
                // pg_dump writes a bytea as hex.
                let dump = String(decoding: try await PrivacyTests.dump(url).output, as: UTF8.self)
                #expect(dump.count > 1000 && !dump.contains(sealed.map { String(format: "%02x", $0) }.joined()))
            } else {
                var raw = Data()
                for suffix in ["", "-wal"] {
                    raw.append((try? Data(contentsOf: URL(fileURLWithPath: site.settings.dataDirectory + "/commons.sqlite" + suffix))) ?? Data())
                }
                #expect(raw.count > 10_000 && raw.range(of: sealed) == nil, "the erased value is still in the database file")
            }

            // Their own new sign-up brings them back, as a new supporter.
            #expect(try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, canary).status == .seeOther)
            try await site.withStore { store async throws in
                #expect(try await Supporter.query(on: store.database).count() == 1)
                #expect(try await ErasedPerson.query(on: store.database).count() == 0)
            }
        }
    }
}
