import CommonsContent
import CommonsCore
import CommonsMail
import CommonsOrganizing
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CommonsWeb

/// The hidden token of the first form on a page.
func formToken(in html: String) throws -> String {
    let marker = "name=\"form_token\" value=\""
    let start = try #require(html.range(of: marker))
    return String(html[start.upperBound...].prefix { $0 != "\"" })
}

func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._*")
    let encoded = fields.map { name, value in
        "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!.replacingOccurrences(of: "%20", with: "+"))"
    }
    return ByteBuffer(string: encoded.joined(separator: "&"))
}

extension TestClientProtocol {
    func post(_ uri: String, form fields: [(String, String)]) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: formBody(fields))
    }

    /// Opens a form page, waits as a person would (on the test clock), and sends the form.
    func fillAndSend(_ path: String, clock: TestClock, _ fields: [(String, String)]) async throws -> TestResponse {
        let token = try formToken(in: try await get(path).text)
        clock.advance(by: 5)
        return try await post(path, form: [("form_token", token)] + fields)
    }
}

let canary: [(String, String)] = [
    ("given_name", "Zanzibarina"), ("family_name", "Quetzalcoatlova"), ("email", " Canary.Person@Example.ORG "), ("phone", "(212) 555-0199"),
    ("postal_code", "10007"), ("role", "parent"), ("school", "P.S. 999 Canary Academy"), ("preferred_language", "es"), ("email_opt_in", "yes"),
]

@Suite("Organizing")
struct OrganizingTests {
    func signUpThroughTheForm(_ backend: TestDatabase.Backend) async throws {
        let clock = TestClock()
        let site = try await TestSite.make(backend, clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let response = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, canary)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/campaigns/sanctuary-schools/thanks")
            let thanks = try await client.get("/campaigns/sanctuary-schools/thanks")
            #expect(thanks.text.contains("Thank you for joining the Sanctuary Schools campaign"))
        }
        try await site.withStore { store async throws in
            let keys = try site.dataKeys()
            let vault = SupporterVault(keys: keys)
            let supporter = try #require(try await vault.supporter(withEmail: "canary.person@example.org", on: store.database))
            let person = try vault.open(supporter)
            #expect(person.givenName == "Zanzibarina")
            #expect(person.familyName == "Quetzalcoatlova")
            #expect(person.email == "canary.person@example.org")
            #expect(person.phone == "+12125550199")
            #expect(person.postalCode == "10007")
            #expect(person.role == "parent")
            #expect(person.school == "P.S. 999 Canary Academy")
            #expect(person.preferredLanguage == "es")
            #expect(supporter.emailOptIn)
            #expect(!supporter.smsOptIn)
            let actions = try await Action.query(on: store.database).all()
            #expect(actions.count == 1)
            #expect(actions.first?.kind == .signup)
            #expect(actions.first?.consentVersion == ConsentText.version)
            #expect(actions.first?.consentedAt != nil)
            let tags = try await SupporterTag.query(on: store.database).all().map(\.name)
            #expect(tags == ["sanctuary-schools"])
        }
    }

    @Test func test_sign_up_through_the_form_on_sqlite() async throws { try await signUpThroughTheForm(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_sign_up_through_the_form_on_postgres() async throws { try await signUpThroughTheForm(.postgres) }

    func sameEmailInOtherCaseMerges(_ backend: TestDatabase.Backend) async throws {
        let clock = TestClock()
        let site = try await TestSite.make(backend, clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            _ = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Ana"), ("email", "ana@example.org"), ("phone", "2125550100"), ("school", "P.S. 1"), ("email_opt_in", "yes")]
            )
            // Someone who knows Ana's email, in other case and spaces: another name, school and
            // phone, a family name Ana never gave, SMS consent she never gave, no email opt-in.
            _ = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [
                    ("given_name", "Mallory"), ("family_name", "Ruiz"), ("email", "  ANA@Example.org "), ("school", "P.S. 2"),
                    ("phone", "2125550199"), ("sms_opt_in", "yes"),
                ]
            )
            // Then someone who knows her phone, with their own email.
            _ = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Mallory"), ("email", "mallory@evil.example"), ("phone", "(212) 555-0100"), ("email_opt_in", "yes")]
            )
        }
        try await site.withStore { store async throws in
            #expect(try await Supporter.query(on: store.database).count() == 1)
            #expect(try await Action.query(on: store.database).count() == 3)
            let keys = try site.dataKeys()
            let vault = SupporterVault(keys: keys)
            let supporter = try #require(try await Supporter.query(on: store.database).first())
            let person = try vault.open(supporter)
            // Nothing stored was replaced; only the empty family name was filled.
            #expect(person.givenName == "Ana")
            #expect(person.familyName == "Ruiz")
            #expect(person.school == "P.S. 1")
            #expect(person.phone == "+12125550100")
            #expect(person.email == "ana@example.org")
            #expect(try await vault.supporter(withEmail: "mallory@evil.example", on: store.database) == nil)
            // An unchecked box does not take back an earlier yes, and a stranger's yes is only a wish on the action.
            #expect(supporter.emailOptIn)
            #expect(!supporter.smsOptIn)
            let actions = try await Action.query(on: store.database).sort(\.$createdAt).all()
            #expect(actions.map(\.smsOptIn) == [false, true, false])
            // Each action keeps what its form said, sealed.
            #expect(try vault.submission(of: actions[1])?.givenName == "Mallory")
            #expect(try vault.submission(of: actions[2])?.email == "mallory@evil.example")
            #expect(actions[2].submitted.map { !String(decoding: $0, as: UTF8.self).contains("mallory") } == true)
        }
    }

    @Test func test_signup_with_same_email_in_other_case_merges_supporter_on_sqlite() async throws { try await sameEmailInOtherCaseMerges(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_signup_with_same_email_in_other_case_merges_supporter_on_postgres() async throws { try await sameEmailInOtherCaseMerges(.postgres) }

    @Test func test_signup_matched_by_phone_when_email_differs() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            _ = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Li"), ("email", "li@example.org"), ("phone", "+1 212 555 0101")]
            )
            _ = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Li"), ("email", "li.new@example.org"), ("phone", "212-555-0101")]
            )
        }
        try await site.withStore { store async throws in
            #expect(try await Supporter.query(on: store.database).count() == 1)
            #expect(try await Action.query(on: store.database).count() == 2)
            // A phone match never changes the email.
            let keys = try site.dataKeys()
            let supporter = try #require(try await Supporter.query(on: store.database).first())
            #expect(try SupporterVault(keys: keys).open(supporter).email == "li@example.org")
        }
    }

    @Test func test_invalid_form_is_shown_again_with_values_and_errors_and_nothing_stored() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let response = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [
                    ("given_name", ""), ("email", "not-an-email"), ("phone", "555"), ("postal_code", "1000"), ("role", "mayor"),
                    ("school", "<b>P.S. 3</b>"),
                    ("unknown_field", "ignored"),
                ]
            )
            #expect(response.status == .unprocessableContent)
            let html = response.text
            #expect(html.contains("<div class=\"error-summary\" role=\"alert\""))
            #expect(html.contains("<a href=\"#field-email\">Enter an email address like name@example.org.</a>"))
            #expect(html.contains("<p id=\"field-given-name-error\" class=\"field-error\">Enter your first name.</p>"))
            #expect(html.contains("aria-describedby=\"field-email-error\" aria-invalid=\"true\""))
            #expect(html.contains("value=\"not-an-email\""))
            #expect(html.contains("value=\"&lt;b&gt;P.S. 3&lt;/b&gt;\""))
            #expect(!html.contains("<b>P.S. 3</b>"))
            #expect(html.contains("Enter a ZIP code like 10007"))
            #expect(html.contains("Choose one of the listed options."))
            #expect(html.contains("<title>Correct the form: Sanctuary Schools"))
            // The form is shown again with a new token, so it can be sent again.
            #expect(try formToken(in: html).isEmpty == false)
        }
        try await site.withStore { store async throws in
            #expect(try await Supporter.query(on: store.database).count() == 0)
            #expect(try await Action.query(on: store.database).count() == 0)
        }
    }

    @Test func test_the_same_form_sent_twice_records_once_and_thanks_twice() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let token = try formToken(in: try await client.get("/campaigns/sanctuary-schools").text)
            clock.advance(by: 5)
            let fields = [("form_token", token), ("given_name", "Sam"), ("email", "sam@example.org")]
            let first = try await client.post("/campaigns/sanctuary-schools", form: fields)
            let second = try await client.post("/campaigns/sanctuary-schools", form: fields)
            #expect(first.status == .seeOther)
            #expect(second.status == .seeOther)
            #expect(second.headers[.location] == first.headers[.location])
        }
        try await site.withStore { store async throws in
            #expect(try await Action.query(on: store.database).count() == 1)
        }
    }

    @Test func test_bots_are_thanked_and_nothing_is_stored() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            // The hidden field filled in.
            let trapped = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Bot"), ("email", "bot@example.org"), ("website", "http://spam.example")]
            )
            #expect(trapped.status == .seeOther)
            // Sent one second after the form was shown.
            let token = try formToken(in: try await client.get("/campaigns/sanctuary-schools").text)
            clock.advance(by: 1)
            let fast = try await client.post(
                "/campaigns/sanctuary-schools",
                form: [("form_token", token), ("given_name", "Bot"), ("email", "fast@example.org")]
            )
            #expect(fast.status == .seeOther)
            // A forged token is a form to send again, not a success.
            let forged = try await client.post(
                "/campaigns/sanctuary-schools",
                form: [("form_token", "abc.1.def"), ("given_name", "X"), ("email", "x@example.org")]
            )
            #expect(forged.status == .unprocessableContent)
            #expect(forged.text.contains("This form was open too long or could not be checked."))
            // A form left open for three days.
            let old = try formToken(in: try await client.get("/campaigns/sanctuary-schools").text)
            clock.advance(by: 72 * 3600)
            let stale = try await client.post(
                "/campaigns/sanctuary-schools",
                form: [("form_token", old), ("given_name", "Y"), ("email", "y@example.org")]
            )
            #expect(stale.status == .unprocessableContent)
            #expect(stale.text.contains("value=\"y@example.org\""))
        }
        try await site.withStore { store async throws in
            #expect(try await Supporter.query(on: store.database).count() == 0)
        }
    }

    @Test func test_too_many_submissions_from_one_client_get_429_with_retry_after() async throws {
        let clock = TestClock()
        var site = try await TestSite.make(clock: clock.clock)
        site.settings.formRateLimit = 2
        let database = site.database
        defer { Task { await database.destroy() } }
        try await site.run { client async throws in
            for number in 1...2 {
                let response = try await client.fillAndSend(
                    "/campaigns/sanctuary-schools",
                    clock: clock,
                    [("given_name", "P\(number)"), ("email", "p\(number)@example.org")]
                )
                #expect(response.status == .seeOther)
            }
            let third = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "P3"), ("email", "p3@example.org")]
            )
            #expect(third.status == .tooManyRequests)
            let retry = try #require(third.headers[.retryAfter].flatMap { Int($0) })
            #expect(retry > 0 && retry <= 600)
            #expect(third.text.contains("Please wait a moment"))
        }
        try await site.withStore { store async throws in
            #expect(try await Supporter.query(on: store.database).count() == 2)
        }
    }

    @Test func test_closed_campaign_says_so_and_refuses_with_410() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            try await CampaignDirectory(database: store.database).create(
                CampaignDraft(title: "Fund Libraries 2025", description: "Over.", status: .closed)
            )
        }
        try await site.run { client async throws in
            let page = try await client.get("/campaigns/fund-libraries-2025")
            #expect(page.text.contains("This campaign is closed."))
            #expect(!page.text.contains("<form class=\"action-form\""))
            let post = try await client.post("/campaigns/fund-libraries-2025", form: [("given_name", "A"), ("email", "a@example.org")])
            #expect(post.status == .gone)
            #expect(post.text.contains("This campaign is closed."))
        }
    }

    /// The campaign a form posts to is kept between sign-ups (`ContentLookups`), but no longer
    /// than a page is: closed elsewhere (another server, a command), it refuses sign-ups once
    /// this server next reads the content version.
    @Test func test_a_campaign_closed_elsewhere_refuses_sign_ups_within_the_check_interval() async throws {
        let clock = TestClock()
        var arranged = try await TestSite.make(clock: clock.clock)
        arranged.settings.contentCheckInterval = .seconds(1)
        arranged.settings.formRateLimit = 1_000
        let site = arranged
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let token = try formToken(in: try await client.get("/campaigns/sanctuary-schools").text)
            clock.advance(by: 5)
            let form = [("form_token", token), ("given_name", "A"), ("email", "a@example.org")]
            #expect(try await client.post("/campaigns/sanctuary-schools", form: form).status == .seeOther)
            try await site.withStore { store async throws in
                let campaign = try #require(try await Campaign.query(on: store.database).filter(\.$slug == "sanctuary-schools").first())
                campaign.status = .closed
                try await campaign.save(on: store.database)
            }
            // The same form sent again: "already recorded" while the kept campaign still says
            // open, then 410 once the version is read again.
            let closed = ContinuousClock.now
            var refused = false
            while !refused, ContinuousClock.now < closed + .seconds(30) {
                try await Task.sleep(for: .milliseconds(200))
                let post = try await client.post("/campaigns/sanctuary-schools", form: form)
                refused = post.status == .gone
                if !refused { #expect(post.status == .seeOther) }
            }
            #expect(refused, "sign-ups refused once the version moved")
        }
    }

    @Test func test_petition_shows_its_count_and_progress_but_never_its_signers() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            try await CampaignDirectory(database: store.database).create(
                CampaignDraft(
                    title: "Counselors in Every School",
                    kind: .petition,
                    description: "Sign.",
                    petitionText: "We call for a counselor in every school.",
                    petitionTarget: "The Schools Chancellor",
                    goal: 500
                )
            )
        }
        try await site.run { client async throws in
            for name in ["Wilhelmina", "Bartholomew"] {
                let response = try await client.fillAndSend(
                    "/campaigns/counselors-in-every-school",
                    clock: clock,
                    [("given_name", name), ("email", "\(name)@example.org")]
                )
                #expect(response.status == .seeOther)
            }
            let html = try await client.get("/campaigns/counselors-in-every-school").text
            #expect(html.contains("2 people have signed"))
            #expect(html.contains("<progress value=\"2\" max=\"500\""))
            #expect(html.contains("To: The Schools Chancellor"))
            #expect(html.contains("We call for a counselor in every school."))
            #expect(!html.contains("Wilhelmina") && !html.contains("Bartholomew"))
            #expect(try await client.get("/campaigns/counselors-in-every-school/thanks").text.contains("2 people have signed"))
        }
        try await site.withStore { store async throws in
            #expect(try await Action.query(on: store.database).filter(\.$kind == .petition).count() == 2)
        }
    }

    @Test func test_personal_data_is_nowhere_in_the_database_file_in_the_clear() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let response = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, canary)
            #expect(response.status == .seeOther)
            // Read the files while the server still holds them open: the WAL has the newest pages.
            var raw = Data()
            for suffix in ["", "-wal"] {
                raw.append((try? Data(contentsOf: URL(fileURLWithPath: site.settings.dataDirectory + "/commons.sqlite" + suffix))) ?? Data())
            }
            #expect(raw.count > 0)
            for secret in ["Zanzibarina", "Quetzalcoatlova", "canary.person@example.org", "Canary.Person", "2125550199", "Canary Academy"] {
                #expect(raw.range(of: Data(secret.utf8)) == nil, "\(secret) is in the database file in the clear")
            }
        }
        // The confirmation to the canary (address, name, whole message) was in those files, sealed.
        let queued = try await site.withStore { store in try await OutboxMessage.query(on: store.database).filter(\.$kind == .confirmation).count() }
        #expect(queued == 1)
    }

    @Test func test_a_different_data_key_refuses_to_start() async throws {
        let clock = TestClock()
        var site = try await TestSite.make(clock: clock.clock)
        let database = site.database
        defer { Task { await database.destroy() } }
        try await site.run { client async throws in
            _ = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, [("given_name", "K"), ("email", "k@example.org")])
        }
        let keyFile = site.settings.dataDirectory + "/keys/data.key"
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        site.settings.dataKey = Data(repeating: 7, count: 32).base64EncodedString()
        await #expect(throws: DataKeyError.mismatch) {
            _ = try await buildApplication(settings: site.settings, services: site.services, logger: TestDatabase.logger)
        }
        // Without the key file and without COMMONS_DATA_KEY a new key would be made: refused too.
        try FileManager.default.removeItem(atPath: keyFile)
        site.settings.dataKey = nil
        await #expect(throws: DataKeyError.mismatch) {
            _ = try await buildApplication(settings: site.settings, services: site.services, logger: TestDatabase.logger)
        }
    }

    // MARK: Events

    @Test func test_events_list_upcoming_first_and_past_separately() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let events = EventDirectory(database: store.database, clock: clock.clock)
            let now = clock.clock.now
            try await events.create(
                EventDraft(
                    title: "Later forum",
                    description: "x",
                    startsAt: now + 86400 * 20,
                    endsAt: now + 86400 * 20 + 3600,
                    timeZone: "America/New_York"
                )
            )
            try await events.create(
                EventDraft(
                    title: "Sooner training",
                    description: "x",
                    startsAt: now + 86400 * 2,
                    endsAt: now + 86400 * 2 + 3600,
                    timeZone: "America/New_York"
                )
            )
        }
        try await site.run { client async throws in
            let upcoming = try await client.get("/events").text
            let sooner = try #require(upcoming.range(of: "Sooner training"))
            let later = try #require(upcoming.range(of: "Later forum"))
            #expect(sooner.lowerBound < later.lowerBound)
            #expect(!upcoming.contains("Press conference"))
            let past = try await client.get("/events/past").text
            #expect(past.contains("Press conference: CEJ calls for Sanctuary Schools"))
            #expect(past.contains("Thursday, December 8, 2016"))
            let event = try await client.get("/events/sanctuary-schools-press-conference").text
            #expect(event.contains("This event has taken place."))
            #expect(!event.contains("<form class=\"action-form\""))
            #expect(event.contains("52 Chambers Street"))
        }
    }

    @Test func test_rsvp_beyond_capacity_joins_the_waitlist_and_online_link_shows_only_after_rsvp() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let now = clock.clock.now
            try await EventDirectory(database: store.database, clock: clock.clock).create(
                EventDraft(
                    title: "Know your rights training",
                    description: "Online.",
                    startsAt: now + 86400,
                    endsAt: now + 90000,
                    timeZone: "America/New_York",
                    onlineURL: "https://meet.example.org/rights",
                    capacity: 3
                )
            )
        }
        try await site.run { client async throws in
            let page = try await client.get("/events/know-your-rights-training")
            #expect(page.text.contains("3 places left."))
            #expect(!page.text.contains("meet.example.org"))
            let first = try await client.fillAndSend(
                "/events/know-your-rights-training",
                clock: clock,
                [("given_name", "A"), ("email", "a@example.org"), ("guests", "1")]
            )
            #expect(first.status == .seeOther)
            let confirmed = try await client.get(try #require(first.headers[.location]))
            #expect(confirmed.text.contains("Your RSVP is confirmed."))
            #expect(confirmed.text.contains("https://meet.example.org/rights"))
            // Two seats taken, one left; two more people (one plus a guest) do not fit.
            let second = try await client.fillAndSend(
                "/events/know-your-rights-training",
                clock: clock,
                [("given_name", "B"), ("email", "b@example.org"), ("guests", "1")]
            )
            let waitlisted = try await client.get(try #require(second.headers[.location]))
            #expect(waitlisted.text.contains("You are on the waitlist"))
            #expect(!waitlisted.text.contains("meet.example.org"))
            // The thanks page without a real answer shows no link.
            #expect(!(try await client.get("/events/know-your-rights-training/thanks?r=guess").text.contains("meet.example.org")))
            #expect(try await client.get("/events/know-your-rights-training").text.contains("1 places left.") == true)
            let badGuests = try await client.fillAndSend(
                "/events/know-your-rights-training",
                clock: clock,
                [("given_name", "C"), ("email", "c@example.org"), ("guests", "50")]
            )
            #expect(badGuests.status == .unprocessableContent)
            #expect(badGuests.text.contains("Enter a number of guests from 0 to 10."))
        }
        try await site.withStore { store async throws in
            let actions = try await Action.query(on: store.database).filter(\.$kind == .rsvp).sort(\.$createdAt).all()
            #expect(actions.map(\.waitlisted) == [false, true])
        }
    }

    @Test func test_cancelled_event_says_so_and_takes_no_rsvps() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let now = clock.clock.now
            try await EventDirectory(database: store.database, clock: clock.clock).create(
                EventDraft(
                    title: "Town hall",
                    description: "x",
                    startsAt: now + 86400,
                    endsAt: now + 90000,
                    timeZone: "America/New_York",
                    status: .cancelled
                )
            )
        }
        try await site.run { client async throws in
            let page = try await client.get("/events/town-hall")
            #expect(page.text.contains("This event was cancelled."))
            let post = try await client.post("/events/town-hall", form: [("given_name", "A"), ("email", "a@example.org")])
            #expect(post.status == .gone)
        }
    }

    @Test func test_calendar_file_is_valid_icalendar_with_the_time_zone() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let response = try await client.get("/events/sanctuary-schools-press-conference.ics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
            let text = response.text
            #expect(text.hasSuffix("\r\n"))
            let lines = text.components(separatedBy: "\r\n").dropLast()
            #expect(lines.allSatisfy { $0.utf8.count <= 75 })
            #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
            // Unfold, then check the structure.
            let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
            #expect(unfolded.first == "BEGIN:VCALENDAR")
            #expect(unfolded.contains("VERSION:2.0"))
            #expect(unfolded.contains { $0.hasPrefix("PRODID:") })
            #expect(unfolded.contains("BEGIN:VTIMEZONE"))
            #expect(unfolded.contains("TZID:America/New_York"))
            #expect(unfolded.contains("DTSTART;TZID=America/New_York:20161208T120000"))
            #expect(unfolded.contains("DTEND;TZID=America/New_York:20161208T130000"))
            #expect(unfolded.contains { $0.hasPrefix("UID:") })
            #expect(unfolded.contains { $0.hasPrefix("DTSTAMP:") && $0.hasSuffix("Z") })
            #expect(unfolded.contains("LOCATION:NYC Department of Education\\, Tweed Courthouse\\, 52 Chambers Street\\, New York\\, NY 10007"))
            for block in ["VCALENDAR", "VEVENT", "VTIMEZONE", "DAYLIGHT", "STANDARD"] {
                #expect(unfolded.filter { $0 == "BEGIN:\(block)" }.count == unfolded.filter { $0 == "END:\(block)" }.count, "\(block)")
            }
            #expect(
                try await client.get("/events/sanctuary-schools-press-conference").text.contains(
                    "href=\"/events/sanctuary-schools-press-conference.ics\""
                )
            )
        }
    }
}

@Suite("Normalization and tokens")
struct NormalizationTests {
    @Test(arguments: [
        ("2125550123", "+12125550123"), ("(212) 555-0123", "+12125550123"), ("1 212 555 0123", "+12125550123"), ("+1 212 555 0123", "+12125550123"),
        ("+44 20 7946 0958", "+442079460958"), ("212.555.0123", "+12125550123"),
    ])
    func test_phones_become_e164(raw: String, e164: String) {
        #expect(Normalization.phone(raw) == e164)
    }

    @Test(arguments: ["555", "0125550123", "1125550123", "+0 123 456 789", "call me", "212555012345678", "+1 212 555 01234"])
    func test_impossible_phones_are_refused(raw: String) {
        #expect(Normalization.phone(raw) == nil)
    }

    @Test func test_emails_and_zip_codes() {
        #expect(Normalization.email("  Maria@Example.ORG ") == "maria@example.org")
        #expect(Normalization.isValidEmail("maria@example.org"))
        for bad in [
            "maria", "maria@", "@example.org", "maria@example", "ma ria@example.org", "a@b.c", String(repeating: "a", count: 250) + "@example.org",
        ] {
            #expect(!Normalization.isValidEmail(bad), "\(bad)")
        }
        #expect(Normalization.postalCode("10007") == "10007")
        #expect(Normalization.postalCode("10007-1234") == "10007-1234")
        #expect(Normalization.postalCode("1007") == nil)
        #expect(Normalization.postalCode("１００07") == nil)
        #expect(Normalization.postalCode(" 10007\n") == "10007")
        for bad in ["", "10007-", "1000a", "10007 1234", "100071234", "10007-12345", "10007-123", "-10007", "10007_1234", "10007\n1234"] {
            #expect(Normalization.postalCode(bad) == nil, "\(bad)")
        }
    }

    @Test func test_form_token_signatures_are_base64url_without_padding() throws {
        let signer = FormToken.Signer(keys: try DataKeys(material: Data(repeating: 1, count: 32)))
        for _ in 0..<200 {
            let parts = signer.issue(at: Date(timeIntervalSince1970: 1_800_000_000)).split(separator: ".")
            #expect(parts.count == 3)
            // 16 random bytes and a 32-byte HMAC: 22 and 43 characters of A-Z a-z 0-9 - _.
            #expect(parts[0].count == 22 && parts[2].count == 43)
            let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            #expect(parts[0].allSatisfy(alphabet.contains) && parts[2].allSatisfy(alphabet.contains))
            // Back to standard base64, the id decodes to 16 bytes.
            var standard = parts[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            standard += "=="
            #expect(Data(base64Encoded: standard)?.count == 16)
        }
    }

    @Test func test_form_tokens_cannot_be_forged_or_altered() throws {
        let signer = FormToken.Signer(keys: try DataKeys(material: Data(repeating: 1, count: 32)))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let token = signer.issue(at: now)
        #expect(signer.verify(token)?.issuedAt == now)
        let parts = token.split(separator: ".")
        #expect(signer.verify("\(parts[0]).\(Int(now.timeIntervalSince1970) - 60).\(parts[2])") == nil, "an earlier time fails the signature")
        #expect(signer.verify("x.\(parts[1]).\(parts[2])") == nil)
        #expect(signer.verify("") == nil)
        let other = FormToken.Signer(keys: try DataKeys(material: Data(repeating: 2, count: 32)))
        #expect(other.verify(token) == nil)
    }

    @Test func test_a_ciphertext_moved_to_another_row_or_column_does_not_decrypt() throws {
        let cipher = FieldCipher(keys: try DataKeys(material: Data(repeating: 3, count: 32)))
        let row = UUID()
        let sealed = try cipher.seal("maria@example.org", table: "supporters", column: "email", rowID: row)
        #expect(try cipher.open(sealed, table: "supporters", column: "email", rowID: row) == "maria@example.org")
        #expect(throws: (any Error).self) { try cipher.open(sealed, table: "supporters", column: "email", rowID: UUID()) }
        #expect(throws: (any Error).self) { try cipher.open(sealed, table: "supporters", column: "given_name", rowID: row) }
        // A fresh nonce each time: the same value never looks the same twice.
        #expect(try cipher.seal("maria@example.org", table: "supporters", column: "email", rowID: row) != sealed)
        let otherKey = FieldCipher(keys: try DataKeys(material: Data(repeating: 4, count: 32)))
        #expect(throws: (any Error).self) { try otherKey.open(sealed, table: "supporters", column: "email", rowID: row) }
    }
}
