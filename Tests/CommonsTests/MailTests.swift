import CommonsAccounts
import CommonsAudit
import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import CommonsSMTP
import CommonsStorage
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsMail
@testable import CommonsWeb

/// Email against a real SMTP server (aiosmtpd), through the real application: what people who
/// act get, mailings to a filtered audience, stopping, bounces and retries.
@Suite("Mail", .enabled(if: SMTPTestServer.python != nil, "set COMMONS_TEST_SMTP_PYTHON to a Python with aiosmtpd"))
struct MailTests {
    func site(_ smtp: SMTPTestServer, clock: TestClock, backend: TestDatabase.Backend = .sqlite) async throws -> TestSite {
        var site = try await TestSite.make(backend, clock: clock.clock)
        site.settings.mail = MailSettings(
            server: try SMTPServer(url: smtp.url()),
            sender: MailSender("Coalition for Educational Justice <news@commons.test>"),
            rate: 200,
            schedulerInterval: .milliseconds(200)
        )
        return site
    }

    @Test func test_signup_in_spanish_gets_a_confirmation_in_spanish() async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        let clock = TestClock()
        let site = try await site(smtp, clock: clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let signed = try await client.fillAndSend(
                "/es/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Zanzibarina"), ("email", "canary.person@example.org"), ("email_opt_in", "yes")]
            )
            #expect(signed.status == .seeOther)
            _ = try await smtp.waitForMessages(1)
        }
        let received = smtp.messages()
        try #require(received.count == 1)
        let mails = received.map(ReceivedMail.init)
        let confirmation = try #require(mails.first { $0.header("X-Envelope-To") == "canary.person@example.org" })
        #expect(confirmation.header("Content-Language") == "es")
        #expect(confirmation.header("From")?.contains("<news@commons.test>") == true)
        #expect(confirmation.header("Message-ID")?.hasSuffix("@commons.test>") == true)
        #expect(confirmation.header("Content-Type")?.hasPrefix("multipart/alternative") == true)
        #expect(confirmation.part("text/plain; charset=utf-8")?.contains("Zanzibarina") == true)
        #expect(confirmation.part("text/html; charset=utf-8")?.contains("lang=\"es\"") == true)
        #expect(confirmation.part("text/plain; charset=utf-8")?.contains("https://commons.test/es/campaigns/sanctuary-schools") == true)
        #expect(confirmation.header("List-Unsubscribe") == nil)
    }

    @Test func test_mailing_reaches_exactly_the_opted_in_people_of_its_filter_and_unsubscribing_stops_the_next() async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        let clock = TestClock()
        let site = try await site(smtp, clock: clock)
        defer { Task { await site.destroy() } }
        let people: [(String, String, Bool)] = [
            ("es", "rosa@example.org", true), ("es", "luis@example.org", true), ("en", "kim@example.org", true), ("es", "no-news@example.org", false),
        ]
        try await site.run { client async throws in
            for (language, email, optIn) in people {
                let prefix = language == "en" ? "" : "/\(language)"
                var fields = [("given_name", "P"), ("email", email), ("preferred_language", language)]
                if optIn { fields.append(("email_opt_in", "yes")) }
                #expect(try await client.fillAndSend("\(prefix)/campaigns/sanctuary-schools", clock: clock, fields).status == .seeOther)
            }
            _ = try await smtp.waitForMessages(people.count)
            // A mailing to the Spanish speakers, written in English and Spanish.
            let first = try await scheduleMailing(site, clock: clock, subject: "Rally Monday", language: "es")
            let afterFirst = try await smtp.waitForMessages(people.count + 2)
            let mailing = afterFirst.dropFirst(people.count).map(ReceivedMail.init)
            #expect(Set(mailing.compactMap { $0.header("X-Envelope-To") }) == ["rosa@example.org", "luis@example.org"])
            for copy in mailing {
                #expect(copy.subject == "ES: Rally Monday")
                #expect(copy.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
                #expect(copy.part("text/html; charset=utf-8")?.contains("<strong>Monday</strong>") == true)
            }
            // Rosa unsubscribes with one click, as a mail program does (no cookie, no CSRF token).
            let rosa = try #require(mailing.first { $0.header("X-Envelope-To") == "rosa@example.org" })
            let link = try #require(rosa.header("List-Unsubscribe")).dropFirst().dropLast()
            let path = String(link.dropFirst("https://commons.test".count))
            let page = try await client.get(path)
            #expect(page.status == .ok)
            #expect(page.text.contains("List-Unsubscribe"))
            let stopped = try await client.post(path, form: [("List-Unsubscribe", "One-Click")])
            #expect(stopped.status == .ok)
            #expect(try await client.post("/unsubscribe/forged~token", form: [("List-Unsubscribe", "One-Click")]).status == .notFound)
            _ = first
            _ = try await scheduleMailing(site, clock: clock, subject: "Second", language: "es")
            let afterSecond = try await smtp.waitForMessages(people.count + 3)
            try await Task.sleep(for: .milliseconds(800))
            let second = smtp.messages().dropFirst(people.count + 2).map(ReceivedMail.init)
            #expect(afterSecond.count == people.count + 3)
            #expect(second.compactMap { $0.header("X-Envelope-To") } == ["luis@example.org"])
        }
        try await site.withStore { store async throws in
            let keys = try site.dataKeys()
            let rosa = try #require(try await SupporterVault(keys: keys).supporter(withEmail: "rosa@example.org", on: store.database))
            #expect(!rosa.emailOptIn)
            let kinds = try await Action.query(on: store.database).filter(\.$supporter.$id == rosa.requireID()).all().map(\.kind)
            #expect(kinds.contains(.unsubscribe))
            let audit = try await AuditEntry.query(on: store.database).filter(\.$action == "mailing.sent").all()
            #expect(audit.map(\.detail).contains { $0.hasSuffix("recipients=2") })
        }
    }

    @Test func test_rsvp_confirmation_carries_the_ics_and_the_reminder_comes_once_at_its_time() async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        let clock = TestClock()
        let site = try await site(smtp, clock: clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        let startsAt = clock.clock.now.addingTimeInterval(48 * 3600)
        let eventID = try await site.withStore { store in
            try await EventDirectory(database: store.database, clock: clock.clock).create(
                EventDraft(
                    title: "Parent assembly",
                    description: "Bring a neighbour.",
                    startsAt: startsAt,
                    endsAt: startsAt.addingTimeInterval(7200),
                    timeZone: "America/New_York",
                    venue: "P.S. 123 auditorium",
                    address: "301 W 140th St",
                    capacity: 1
                )
            ).requireID()
        }
        try await site.run { client async throws in
            for (email, language) in [("ana@example.org", "es"), ("wai@example.org", "zh")] {
                let sent = try await client.fillAndSend("/\(language)/events/parent-assembly", clock: clock, [("given_name", "P"), ("email", email)])
                #expect(sent.status == .seeOther)
            }
            let confirmations = try await smtp.waitForMessages(2)
            #expect(confirmations.count == 2)
            let parsed = smtp.parsedMessages()
            let raw = confirmations.map(ReceivedMail.init)
            // The confirmed one gets the calendar file; the waitlisted one a waitlist notice without it.
            let ana = try #require(raw.firstIndex { $0.header("X-Envelope-To") == "ana@example.org" })
            #expect(raw[ana].header("Content-Language") == "es")
            #expect(raw[ana].header("Content-Type")?.hasPrefix("multipart/mixed") == true)
            #expect(parsed[ana].defects == 0)
            let ics = try #require(parsed[ana].part("text/calendar"))
            #expect(ics.filename == "parent-assembly.ics")
            #expect(ics.content?.contains("BEGIN:VEVENT") == true)
            #expect(ics.content?.contains("SUMMARY:Parent assembly") == true)
            #expect(parsed[ana].part("text/plain")?.content?.contains("P.S. 123 auditorium, 301 W 140th St") == true)
            #expect(parsed[ana].part("text/html")?.content?.contains("lang=\"es\"") == true)
            let wai = 1 - ana
            #expect(raw[wai].header("Content-Language") == "zh-Hans")
            #expect(parsed[wai].part("text/calendar") == nil)
            #expect(parsed[wai].subject.contains("Parent assembly"))

            // 23 hours on, no reminder yet; at 24 hours before the start, one, within seconds.
            clock.advance(by: 23 * 3600)
            try await Task.sleep(for: .seconds(1))
            #expect(smtp.messages().count == 2)
            clock.advance(by: 3600 + 30)
            let reminded = try await smtp.waitForMessages(3)
            #expect(reminded.count == 3)
            let reminder = ReceivedMail(raw: reminded[2])
            #expect(reminder.header("X-Envelope-To") == "ana@example.org")
            #expect(reminder.header("Content-Language") == "es")
            #expect(smtp.parsedMessages()[2].part("text/calendar") != nil)
            // Later ticks do not repeat it.
            clock.advance(by: 3600)
            try await Task.sleep(for: .seconds(1))
            #expect(smtp.messages().count == 3)
        }
        // Cancelled: both people who answered hear of it, once.
        try await site.withStore { store in
            let directory = EventDirectory(database: store.database, clock: clock.clock)
            let event = try #require(try await directory.event(id: eventID))
            var draft = EventDraft(
                title: event.title,
                description: event.description,
                startsAt: event.startsAt,
                endsAt: event.endsAt,
                timeZone: event.timeZone,
                venue: event.venue,
                address: event.address,
                capacity: event.capacity
            )
            draft.status = .cancelled
            _ = try await directory.update(eventID, with: draft)
        }
        try await site.run { _ async throws in
            let all = try await smtp.waitForMessages(5)
            try await Task.sleep(for: .seconds(1))
            #expect(smtp.messages().count == 5)
            let notices = all.dropFirst(3).map(ReceivedMail.init)
            #expect(Set(notices.compactMap { $0.header("X-Envelope-To") }) == ["ana@example.org", "wai@example.org"])
            #expect(notices.allSatisfy { $0.subject.hasPrefix("Cancelled") || $0.header("Content-Language") != "en" })
        }
    }

    @Test func test_an_organizer_writes_counts_previews_tests_and_sends_a_mailing_through_the_staff_area() async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        let clock = TestClock()
        let site = try await site(smtp, clock: clock)
        defer { Task { await site.destroy() } }
        _ = try await addStaff(site, email: "org@example.org", role: .organizer)
        try await site.run { client async throws in
            for (email, language) in [("ana@example.org", "es"), ("bo@example.org", "es"), ("cy@example.org", "en")] {
                let fields = [("given_name", "P"), ("email", email), ("email_opt_in", "yes"), ("preferred_language", language)]
                #expect(try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, fields).status == .seeOther)
            }
            _ = try await smtp.waitForMessages(3)
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            // A day that is not a day is refused in words.
            let badDay = try await organizer.post(client, "/admin/mailings", [("subject_en", "S"), ("body_en", "B"), ("from", "2026-02-31")])
            #expect(badDay.status == .unprocessableContent)
            #expect(badDay.text.contains("Enter a day like 2026-12-31."))
            // Without an English version nothing is saved, and the form says why.
            let refused = try await organizer.post(client, "/admin/mailings", [("subject_es", "Hola"), ("body_es", "Texto")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Enter an English subject."))
            let created = try await organizer.post(
                client,
                "/admin/mailings",
                [
                    ("subject_en", "Hearing on Monday"), ("body_en", "Come to **Tweed**."),
                    ("subject_es", "Audiencia el lunes"), ("body_es", "Venga a **Tweed**."), ("language", "es"),
                    ("from", "2000-01-01"),
                ]
            )
            #expect(created.status == .seeOther)
            let editURL = try #require(created.headers[.location])
            // The count before sending, and a preview of each version in its language.
            let editor = try await organizer.get(client, editURL).text
            #expect(editor.contains("Send now to 2 people"))
            #expect(editor.contains(#"name="from" type="date" value="2000-01-01""#) || editor.contains(#"value="2000-01-01""#))
            #expect(
                editor.contains("<section lang=\"es\" dir=\"ltr\"><p><strong>Audiencia el lunes</strong></p><p>Venga a <strong>Tweed</strong>.</p>")
            )
            // A test to the organizer only.
            #expect(try await organizer.post(client, editURL + "/test").status == .seeOther)
            let withTest = try await smtp.waitForMessages(4)
            #expect(ReceivedMail(raw: withTest[3]).header("X-Envelope-To") == "org@example.org")
            #expect(ReceivedMail(raw: withTest[3]).subject == "[TEST] Hearing on Monday")
            // Sending: the two Spanish speakers get the Spanish version; progress and the list say so.
            #expect(try await organizer.post(client, editURL + "/send").status == .seeOther)
            let all = try await smtp.waitForMessages(6)
            let copies = all.dropFirst(4).map(ReceivedMail.init)
            #expect(Set(copies.compactMap { $0.header("X-Envelope-To") }) == ["ana@example.org", "bo@example.org"])
            #expect(copies.allSatisfy { $0.subject == "Audiencia el lunes" })
            try await Task.sleep(for: .seconds(1.5))  // delivery marks what it sent at least once a second
            let progress = try await organizer.get(client, editURL).text
            #expect(progress.contains(">Sent</a></td><td>2</td>"))
            #expect(progress.contains(">Waiting</a></td><td>0</td>"))
            let list = try await organizer.get(client, "/admin/mailings").text
            #expect(list.contains("Hearing on Monday"))
            // A sent mailing cannot be sent or changed again.
            #expect(try await organizer.post(client, editURL + "/send").status.code >= 400)
            try await Task.sleep(for: .seconds(1))
            #expect(smtp.messages().count == 6)
        }
    }

    @Test func test_raising_capacity_moves_the_waitlist_up_in_order_and_tells_each_person_once() async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        let clock = TestClock()
        let site = try await site(smtp, clock: clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        let startsAt = clock.clock.now.addingTimeInterval(72 * 3600)
        let draft = EventDraft(
            title: "School board hearing",
            description: "Testify with us.",
            startsAt: startsAt,
            endsAt: startsAt.addingTimeInterval(7200),
            timeZone: "America/New_York",
            venue: "Tweed Courthouse",
            capacity: 1
        )
        let eventID = try await site.withStore { store in
            try await EventDirectory(database: store.database, clock: clock.clock).create(draft).requireID()
        }
        try await site.run { client async throws in
            // One seat: the first takes it; the second (with a guest) and the third wait, in order.
            for (email, guests) in [("first@example.org", "0"), ("second@example.org", "1"), ("third@example.org", "0")] {
                let fields = [("given_name", "P"), ("email", email), ("guests", guests)]
                #expect(try await client.fillAndSend("/es/events/school-board-hearing", clock: clock, fields).status == .seeOther)
            }
            _ = try await smtp.waitForMessages(3)
            // Three seats now: the second and their guest fit; the third still waits.
            var bigger = draft
            bigger.capacity = 3
            try await site.withStore { store in
                _ = try await EventDirectory(database: store.database, clock: clock.clock).update(eventID, with: bigger)
            }
            let after = try await smtp.waitForMessages(4)
            try await Task.sleep(for: .seconds(1))
            #expect(smtp.messages().count == 4)
            let notice = ReceivedMail(raw: after[3])
            #expect(notice.header("X-Envelope-To") == "second@example.org")
            #expect(notice.header("Content-Language") == "es")
            #expect(smtp.parsedMessages()[3].subject == "Se liberó un lugar: School board hearing")
            #expect(smtp.parsedMessages()[3].part("text/calendar") != nil)
            // Room for everyone: the third moves up too, and nobody hears twice.
            bigger.capacity = nil
            try await site.withStore { store in
                _ = try await EventDirectory(database: store.database, clock: clock.clock).update(eventID, with: bigger)
            }
            let last = try await smtp.waitForMessages(5)
            try await Task.sleep(for: .seconds(1))
            #expect(smtp.messages().count == 5)
            #expect(ReceivedMail(raw: last[4]).header("X-Envelope-To") == "third@example.org")
        }
        try await site.withStore { store in
            let answers = try await Action.query(on: store.database).filter(\.$kind == .rsvp).all()
            #expect(answers.allSatisfy { !$0.waitlisted })
            #expect(answers.filter { $0.promotedAt != nil }.count == 2)
        }
    }

    @Test func test_a_matched_record_changes_only_when_the_address_on_file_confirms_and_double_opt_in_waits_too() async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        let clock = TestClock()
        let site = try await site(smtp, clock: clock)
        defer { Task { await site.destroy() } }
        /// The confirmation link in the message to `address`, as a path on the site.
        @Sendable func confirmationPath(to address: String) throws -> String {
            let parsed = smtp.parsedMessages()
            let raw = smtp.messages().map(ReceivedMail.init)
            let index = try #require(
                raw.indices.last {
                    raw[$0].header("X-Envelope-To") == address && parsed[$0].part("text/plain")?.content?.contains("/confirm/") == true
                }
            )
            let text = try #require(parsed[index].part("text/plain")?.content)
            let start = try #require(text.range(of: "https://commons.test/"))
            return String(text[start.lowerBound...].prefix { !$0.isWhitespace }.dropFirst("https://commons.test".count))
        }
        try await site.run { client async throws in
            // Rosa signs without email news; later someone signs as her with another name and a "yes".
            let first = [("given_name", "Rosa"), ("email", "rosa@example.org")]
            #expect(try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, first).status == .seeOther)
            let second = [("given_name", "Rosalind"), ("email", "ROSA@example.org"), ("email_opt_in", "yes")]
            #expect(try await client.fillAndSend("/es/campaigns/sanctuary-schools", clock: clock, second).status == .seeOther)
            _ = try await smtp.waitForMessages(3)
            let path = try confirmationPath(to: "rosa@example.org")
            #expect(path.hasPrefix("/es/confirm/"))
            let request = try #require(smtp.parsedMessages().first { $0.subject.hasPrefix("Confirme") })
            // It names the field, never the value someone else may have typed.
            #expect(request.part("text/plain")?.content?.contains("Rosalind") == false)
            // The record is as it was; opening the link (as a mail scanner would) changes nothing.
            let page = try await client.get(path)
            #expect(page.status == .ok)
            #expect(page.text.contains("<button type=\"submit\">Confirmar</button>"))
            try await site.withStore { store in
                let keys = try site.dataKeys()
                let rosa = try #require(try await SupporterVault(keys: keys).supporter(withEmail: "rosa@example.org", on: store.database))
                #expect(try SupporterVault(keys: keys).open(rosa).givenName == "Rosa")
                #expect(!rosa.emailOptIn)
            }
            // The button applies both, once.
            let done = try await client.post(path, form: [])
            #expect(done.status == .ok)
            #expect(done.text.contains("Gracias"))
            #expect(try await client.post(path, form: []).status == .ok)
            try await site.withStore { store in
                let keys = try site.dataKeys()
                let rosa = try #require(try await SupporterVault(keys: keys).supporter(withEmail: "rosa@example.org", on: store.database))
                #expect(try SupporterVault(keys: keys).open(rosa).givenName == "Rosalind")
                #expect(rosa.emailOptIn)
                let confirmed = try await Action.query(on: store.database).filter(\.$confirmedAt != nil).all()
                #expect(confirmed.count == 1 && confirmed.first?.consentVersion == ConsentText.version)
                let audit = try await AuditEntry.query(on: store.database).filter(\.$action == "supporter.change_confirmed").all()
                #expect(audit.count == 1)
                #expect(audit.first?.detail.contains("fields=given_name email_opt_in=yes") == true)
                // Double opt-in from now on.
                let campaign = try #require(try await Campaign.query(on: store.database).filter(\.$slug == "sanctuary-schools").first())
                campaign.doubleOptIn = true
                try await campaign.update(on: store.database)
            }
            // Changed beside the server, as another server would: it holds the campaign it signs
            // people to until it next reads the content version, at most a second later.
            try await Task.sleep(for: .milliseconds(1_100))
            // A new person's "yes" waits for their confirmation; the link lasts 7 days.
            let newcomer = [("given_name", "Kim"), ("email", "kim@example.org"), ("email_opt_in", "yes")]
            #expect(try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, newcomer).status == .seeOther)
            _ = try await smtp.waitForMessages(5)
            let kimPath = try confirmationPath(to: "kim@example.org")
            #expect(smtp.parsedMessages().last { $0.subject.hasPrefix("Please confirm") }?.subject.contains("email news") == true)
            try await site.withStore { store in
                let keys = try site.dataKeys()
                #expect(try await SupporterVault(keys: keys).supporter(withEmail: "kim@example.org", on: store.database)?.emailOptIn == false)
            }
            clock.advance(by: 7 * 24 * 3600 + 60)
            let expired = try await client.post(kimPath, form: [])
            #expect(expired.status == .gone)
            #expect(expired.text.contains("This link has expired"))
            #expect(try await client.get("/confirm/forged~token").status == .notFound)
            let tampered = kimPath.replacingOccurrences(of: "/confirm/", with: "/confirm/0")
            #expect(try await client.post(tampered, form: []).status == .notFound)
        }
        try await site.withStore { store in
            let keys = try site.dataKeys()
            #expect(try await SupporterVault(keys: keys).supporter(withEmail: "kim@example.org", on: store.database)?.emailOptIn == false)
        }
    }

    /// Writes a mailing to the audience of one language and lets the server's scheduler queue it.
    func scheduleMailing(_ site: TestSite, clock: TestClock, subject: String, language: String) async throws -> UUID {
        try await site.withStore { store in
            let keys = try site.dataKeys()
            let desk = MailingDesk(database: store.database, keys: keys, clock: clock.clock)
            let mailing = try await desk.save(
                MailingDraft(
                    versions: ["en": (subject, "Come on **Monday**."), "es": ("ES: " + subject, "Venga el **Monday**.")],
                    audience: MailingAudience(language: language),
                    sendAt: clock.clock.now
                ),
                id: nil,
                by: UUID()
            )
            mailing.status = .scheduled
            try await mailing.update(on: store.database)
            return try mailing.requireID()
        }
    }

    @Test func test_a_550_suppresses_the_address_and_a_451_or_421_is_tried_again() async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!)
        defer { smtp.stop() }
        let clock = TestClock()
        let site = try await site(smtp, clock: clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            for email in ["bounce.me@example.org", "later.please@example.org", "busy.relay@example.org"] {
                let fields = [("given_name", "B"), ("email", email), ("email_opt_in", "yes")]
                #expect(try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, fields).status == .seeOther)
            }
            // Both are tried once: one refused for good, the other deferred.
            let tried = try await site.withStore { store in
                for _ in 0..<300 {
                    let messages = try await OutboxMessage.query(on: store.database).all()
                    if messages.count == 3 && messages.allSatisfy({ $0.attempts >= 1 || $0.status == .failed }) { return true }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return false
            }
            #expect(tried)
            #expect(smtp.messages().isEmpty)
            // The deferred one is tried again a minute later.
            clock.advance(by: 120)
            let received = try await smtp.waitForMessages(2)
            #expect(Set(received.map { ReceivedMail(raw: $0).header("X-Envelope-To") }) == ["later.please@example.org", "busy.relay@example.org"])
        }
        try await site.withStore { store async throws in
            #expect(try await MailSuppression.query(on: store.database).count() == 1)
            let keys = try site.dataKeys()
            let bounced = try #require(try await SupporterVault(keys: keys).supporter(withEmail: "bounce.me@example.org", on: store.database))
            #expect(!bounced.emailOptIn)
            let statuses = try await OutboxMessage.query(on: store.database).all().map(\.status)
            #expect(statuses.sorted { $0.rawValue < $1.rawValue } == [.failed, .sent, .sent])
            // No address in the clear in the database file.
            let file = try Data(contentsOf: URL(fileURLWithPath: site.database.folder.appendingPathComponent("commons.sqlite").path))
            #expect(file.range(of: Data("later.please@example.org".utf8)) == nil)
            // Bodies of finished messages are kept for the retention period, then emptied.
            func bodies() async throws -> Int {
                try await store.sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE content IS NOT NULL").first()?.decode(column: "n", as: Int.self) ?? -1
            }
            let outbox = Outbox(database: store.database, keys: keys, clock: clock.clock, sender: MailSender("news@commons.test")!)
            try await outbox.forgetBodies(olderThan: 30)
            #expect(try await bodies() == 3)
            clock.advance(by: 31 * 86400)
            try await outbox.forgetBodies(olderThan: 30)
            #expect(try await bodies() == 0)
        }
    }

    @Test func test_starttls_with_a_private_ca_and_auth_then_a_test_message() async throws {
        let smtp = try SMTPTestServer(python: SMTPTestServer.python!, tls: true, auth: "relay:s3cret")
        defer { smtp.stop() }
        var settings = Settings(baseURL: "https://commons.test")
        settings.mail = MailSettings(
            server: try SMTPServer(url: smtp.url(credentials: "relay:s3cret"), trustedCertificatesFile: smtp.certificate),
            sender: MailSender("news@commons.test")
        )
        let transcript = try await sendTestMail(settings: settings, to: "ops@example.org")
        #expect(transcript.last?.hasPrefix("250") == true)
        let received = try await smtp.waitForMessages(1)
        #expect(received.count == 1)
        #expect(ReceivedMail(raw: received[0]).subject == "Test message from Commons")
        // A wrong password is refused in words; without the CA the certificate is not trusted.
        settings.mail.server = try SMTPServer(url: smtp.url(credentials: "relay:wrong"), trustedCertificatesFile: smtp.certificate)
        let wrong = settings
        let refusal = await #expect(throws: SMTPError.self) { try await sendTestMail(settings: wrong, to: "ops@example.org") }
        #expect(refusal?.description.contains("535") == true)
        settings.mail.server = try SMTPServer(url: smtp.url(credentials: "relay:s3cret"))
        do {
            _ = try await sendTestMail(settings: settings, to: "ops@example.org")
            Issue.record("an untrusted certificate was accepted")
        } catch let error as SMTPError {
            #expect(error.description.contains("TLS") || error.description.contains("certificate") || error.description.contains("connection"))
        }
    }

    @Test func test_message_encoding_dot_stuffing_and_encoded_subjects() throws {
        let message = MailMessage(
            to: "a@example.org",
            subject: "جمعية الآباء — اجتماع يوم الاثنين في المدرسة",
            text: ".starts with a dot\nline two é",
            html: "<p>x</p>",
            language: "ar",
            isRightToLeft: true
        )
        let bytes = message.rendered(from: MailSender("CEJ <news@example.org>")!, messageID: "abc", date: Date(timeIntervalSince1970: 0))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("Subject: =?UTF-8?B?"))
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.contains("dir=3D\"rtl\""))
        #expect(ReceivedMail(raw: text).subject == "جمعية الآباء — اجتماع يوم الاثنين في المدرسة")
        #expect(ReceivedMail.decodeQuotedPrintable(text).contains("line two é"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78) }
        #expect(MailSender("Bad\r\nBcc: x@y.org <a@b.org>") == nil)
        // Quoted-printable reads back as written, whatever the line ends, dots, spaces and length.
        for sample in [
            ".dot first\r\nline end with space \nCR only\rtabs\t\n" + String(repeating: "=é.", count: 60),
            String(repeating: "a", count: 300) + " ", "...\n.\n", "",
        ] {
            let encoded = MailMessage.quotedPrintable(sample)
            for line in encoded.components(separatedBy: "\r\n") {
                #expect(line.utf8.count <= 76)
                #expect(!line.hasPrefix("."))
                #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
            }
            let expected = sample.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            #expect(ReceivedMail.decodeQuotedPrintable(encoded).replacingOccurrences(of: "\r\n", with: "\n") == expected)
        }
        // The subject as the HTML part's title: the markup characters escaped, the rest as written.
        for (subject, title) in [
            (#"Tom & Jerry's <"show">"#, "Tom &amp; Jerry&#39;s &lt;&quot;show&quot;&gt;"), ("Reunión — 3 p.m.", "Reunión — 3 p.m."),
        ] {
            let mail = MailMessage(to: "a@example.org", subject: subject, text: "x", html: "<p>x</p>", language: "es")
            let rendered = String(decoding: mail.rendered(from: MailSender("CEJ <news@example.org>")!, messageID: "t", date: Date()), as: UTF8.self)
            #expect(ReceivedMail.decodeQuotedPrintable(rendered).contains("<title>\(title)</title>"), "\(subject)")
        }
        #expect(MailMessage.rfc5322Date(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailMessage.rfc5322Date(Date(timeIntervalSince1970: 1_796_551_281)) == "Sun, 06 Dec 2026 10:01:21 +0000")
        #expect(MailSender("no-at-sign") == nil)
    }
}
