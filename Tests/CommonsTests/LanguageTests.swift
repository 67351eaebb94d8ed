import CommonsCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

@Suite("Languages")
struct LanguageTests {
    static let served = try! StringCatalogs.bundled().catalogs.keys.compactMap(Language.known(code:)).sorted { $0.code < $1.code }

    @Test func test_every_public_route_answers_in_every_served_language_with_its_lang_dir_and_alternates() async throws {
        #expect(Self.served.map(\.code).contains("es") && Self.served.map(\.code).contains("ar"))
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let routes = [
            "/", "/news", "/news/cej-calls-for-sanctuary-schools", "/category/news", "/tag/sanctuary-schools", "/documents",
            "/documents/12-8-16-cej-press-release", "/events", "/events/past", "/campaigns/sanctuary-schools", "/privacy", "/mission",
            "/platform", "/search",
        ]
        try await site.run { client async throws in
            for language in Self.served {
                for route in routes {
                    let path = SitePath.localized(route, in: language)
                    let response = try await client.get(path)
                    #expect(response.status == .ok, "\(path) answers \(response.status)")
                    let html = response.text
                    #expect(html.contains("<html lang=\"\(language.tag)\" dir=\"\(language.direction)\">"), "\(path) has its lang and dir")
                    #expect(html.contains("<link rel=\"canonical\" href=\"https://commons.test\(path)\">"), "\(path) is its own canonical")
                    for other in Self.served {
                        let alternate =
                            "<link rel=\"alternate\" hreflang=\"\(other.tag)\" href=\"https://commons.test\(SitePath.localized(route, in: other))\">"
                        #expect(html.contains(alternate), "\(path) names its \(other.code) version")
                    }
                    #expect(html.contains("hreflang=\"x-default\" href=\"https://commons.test\(route)\""))
                    #expect(html.contains("class=\"language-switcher\""))
                }
                let feed = try await client.get(SitePath.localized("/feed", in: language))
                #expect(feed.status == .ok)
                #expect(feed.text.contains("<language>\(language.code)</language>"))
            }
            let arabic = try await client.get("/ar/news").text
            #expect(arabic.contains("<h1>الأخبار</h1>") || arabic.contains(">الأخبار<"))
            #expect(arabic.contains("href=\"/ar/news/cej-calls-for-sanctuary-schools\""), "links stay in the page's language")
            let sitemap = try await client.get("/sitemap-es.xml").text
            #expect(sitemap.contains("<loc>https://commons.test/es/news/cej-calls-for-sanctuary-schools</loc>"))
            #expect(
                sitemap.contains(
                    "<xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"https://commons.test/ar/news/cej-calls-for-sanctuary-schools\"/>"
                )
            )
            // Unknown prefixes are not languages, and staff pages have none.
            #expect(try await client.get("/xx/news").status == .notFound)
            #expect(try await client.get("/es/news/").headers[.location] == "/es/news")
        }
    }

    @Test func test_a_form_error_reads_in_spanish_and_in_arabic_and_thanks_follow_the_language() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let spanish = try await client.get("/es/campaigns/sanctuary-schools").text
            #expect(spanish.contains("<option value=\"es\" selected>"), "preferred language defaults to the page's")
            #expect(spanish.contains("action=\"/es/campaigns/sanctuary-schools\""))
            let refused = try await client.fillAndSend(
                "/es/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Ana"), ("email", "not an email")]
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Escriba un correo electrónico como nombre@ejemplo.org."))
            #expect(refused.text.contains("Corrija lo siguiente, por favor:"))
            let arabic = try await client.fillAndSend("/ar/campaigns/sanctuary-schools", clock: clock, [("given_name", "سارة"), ("email", "")])
            #expect(arabic.status == .unprocessableContent)
            #expect(arabic.text.contains("<html lang=\"ar\" dir=\"rtl\">"))
            #expect(arabic.text.contains("أدخل بريدك الإلكتروني."))
            let joined = try await client.fillAndSend(
                "/es/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Ana"), ("email", "ana@example.org"), ("postal_code", "10007")]
            )
            #expect(joined.status == .seeOther)
            #expect(joined.headers[.location] == "/es/campaigns/sanctuary-schools/thanks")
            #expect(try await client.get("/es/campaigns/sanctuary-schools/thanks").text.contains("¡Gracias!"))
            #expect(try await client.get("/es/no-such-page").text.contains("No encontramos la página"))
        }
    }

    @Test func test_dates_are_written_for_the_language() async throws {
        let catalogs = try StringCatalogs.bundled()
        let date = Date(timeIntervalSince1970: 1_481_212_800)  // 2016-12-08 16:00 UTC
        func format(_ code: String) -> String {
            let language = Language.known(code: code)!
            return Formatting(language: language, strings: catalogs[language], timeZone: Settings.defaultTimeZone).date(date)
        }
        #expect(format("en") == "December 8, 2016")
        #expect(format("es") == "8 de diciembre de 2016")
        #expect(format("ar").contains("ديسمبر"))
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            #expect(try await client.get("/es/news/cej-calls-for-sanctuary-schools").text.contains("de diciembre de 2016"))
        }
    }

    @Test func test_another_language_is_offered_once_and_a_choice_is_remembered() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let offered = try await client.get("/news", headers: [.acceptLanguage: "es-US,es;q=0.9,en;q=0.8"]).text
            #expect(offered.contains("<p class=\"language-offer\" lang=\"es\" dir=\"ltr\">Esta página también está en español."))
            #expect(offered.contains("href=\"/language/es?next=/es/news\""))
            let english = try await client.get("/news").text
            #expect(!english.contains("language-offer"), "no offer without a preference, even from the page cache")
            #expect(!(try await client.get("/es/news", headers: [.acceptLanguage: "es"]).text.contains("language-offer")))
            #expect(try await client.get("/news", headers: [.acceptLanguage: "ar"]).text.contains("lang=\"ar\" dir=\"rtl\">هذه الصفحة متوفرة أيضًا"))
            #expect(!(try await client.get("/news", headers: [.acceptLanguage: "de-DE"]).text.contains("language-offer")))

            let choice = try await client.get("/language/es?next=/es/news")
            #expect(choice.status == .seeOther)
            #expect(choice.headers[.location] == "/es/news")
            let cookie = try #require(choice.headers[.setCookie])
            #expect(cookie.hasPrefix("commons_language=es;") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            // A choice wins over the browser's preference, and the language chosen is not offered again.
            #expect(
                !(try await client.get("/news", headers: [.cookie: "commons_language=en", .acceptLanguage: "es"]).text.contains("language-offer"))
            )
            #expect(try await client.get("/news", headers: [.cookie: "commons_language=ar", .acceptLanguage: "es"]).text.contains("lang=\"ar\""))
            // Never an open redirect; never a language that is not served.
            #expect(try await client.get("/language/es?next=//evil.example/x").headers[.location] == "/es")
            #expect(try await client.get("/language/es?next=https://evil.example").headers[.location] == "/es")
            #expect(try await client.get("/language/xx?next=/news").status == .notFound)
        }
    }

    @Test func test_accept_language_picks_the_best_served_language() {
        let served = Language.known
        #expect(Language.preferred(acceptLanguage: "fr-CA, en;q=0.5", served: served)?.code == "fr")
        #expect(Language.preferred(acceptLanguage: "de, ko;q=0.4, es;q=0.7", served: served)?.code == "es")
        #expect(Language.preferred(acceptLanguage: "zh-TW", served: served) == nil, "traditional Chinese is not the Simplified catalog")
        #expect(Language.preferred(acceptLanguage: "zh-CN,zh;q=0.9", served: served)?.code == "zh")
        #expect(Language.preferred(acceptLanguage: "es;q=0", served: served) == nil)
        #expect(Language.split(path: "/es", served: served)?.path == "/")
        #expect(Language.split(path: "/es/news/x", served: served)?.path == "/news/x")
        #expect(Language.split(path: "/news", served: served) == nil)
        #expect(Language.split(path: "/en/news", served: served) == nil, "English has no prefix")
    }

    @Test func test_editors_see_each_languages_translations_awaiting_review() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let page = try await editor.get(client, "/admin/translations")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h2>Español</h2>"))
            #expect(page.text.contains("<h2>العربية</h2>"))
            #expect(
                page.text.contains(
                    "<td><code>form.email</code></td><td lang=\"en\" dir=\"ltr\">Email</td><td lang=\"ar\" dir=\"rtl\">البريد الإلكتروني</td>"
                )
            )
            #expect(page.text.contains("entries await review."))
        }
    }

    /// A staff member working in Spanish stays in Spanish: every staff link, form action and
    /// redirect keeps the `/es` prefix, and the English staff pages keep none.
    @Test func test_staff_links_and_redirects_keep_the_language_the_staff_member_uses() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "admin@example.org", role: .admin)
        try await site.run { client async throws in
            let admin = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            func staffLinks(_ html: String) -> [String] {
                html.matches(of: #/(?:href|action)="(/[^"]*admin[^"]*)"/#).map { String($0.output.1) }
            }
            var checked = 0
            for page in ["/admin", "/admin/posts", "/admin/supporters", "/admin/campaigns", "/admin/accounts", "/admin/settings"] {
                let spanish = try await admin.get(client, "/es" + page)
                #expect(spanish.status == .ok, "\(page)")
                let links = staffLinks(spanish.text)
                #expect(!links.isEmpty, "\(page)")
                for link in links {
                    #expect(link.hasPrefix("/es/admin"), "\(page) links to \(link)")
                    checked += 1
                }
                for link in staffLinks(try await admin.get(client, page).text) { #expect(link.hasPrefix("/admin"), "\(page) links to \(link)") }
            }
            #expect(checked > 30)
            // A post saved from the Spanish editor goes back to the Spanish editor.
            let saved = try await admin.post(client, "/es/admin/posts", [("title", "Una nota"), ("body", "x"), ("status", "draft")])
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers[.location])
            #expect(location.wholeMatch(of: #/\/es\/admin\/posts\/[0-9a-f-]{36}/#) != nil, "\(location)")
            let editor = try await admin.get(client, location).text
            let translate = try #require(staffLinks(editor).first { $0.contains("/translations/") })
            #expect(translate.hasPrefix(location + "/translations/"))
            // Signing out from Spanish pages lands on the Spanish sign-in page.
            #expect(try await admin.post(client, "/es/admin/logout").headers[.location] == "/es/admin/login")
        }
    }

    @Test func test_a_translated_post_reads_in_spanish_and_an_untranslated_one_says_so() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await addStaff(site, email: "org@example.org", role: .organizer)
        try await site.run { client async throws in
            // Before: the Spanish page shows the English original, says so in Spanish, and marks the words as English.
            let before = try await client.get("/es/news/cej-calls-for-sanctuary-schools").text
            #expect(before.contains("<p class=\"notice\">Esto todavía no está traducido al español, así que se muestra en inglés.</p>"))
            #expect(before.contains("<h1 lang=\"en\" dir=\"ltr\">CEJ Calls For “Sanctuary Schools”</h1>"))
            #expect(before.contains("<div class=\"prose\" lang=\"en\" dir=\"ltr\">"))

            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let posts = try await editor.get(client, "/admin/posts").text
            let edit = try #require(posts.range(of: #"/admin/posts/[0-9a-f-]{36}"#, options: .regularExpression))
            let editURL = String(posts[edit])
            let form = try await editor.get(client, editURL).text
            #expect(form.contains("Translate into Español"))
            let translate = editURL + "/translations/es"
            let empty = try await editor.post(client, translate, [("title", ""), ("body", "Texto")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("Enter a title."))
            let saved = try await editor.post(
                client,
                translate,
                [("title", "CEJ pide “escuelas santuario”"), ("summary", ""), ("body", "Las familias de CEJ piden **escuelas seguras**.")]
            )
            #expect(saved.status == .seeOther)
            #expect(try await editor.get(client, editURL).text.contains("Edit the Español translation"))

            let after = try await client.get("/es/news/cej-calls-for-sanctuary-schools").text
            #expect(after.contains("<h1>CEJ pide “escuelas santuario”</h1>"))
            #expect(after.contains("Las familias de CEJ piden <strong>escuelas seguras</strong>."))
            #expect(!after.contains("class=\"notice\""))
            #expect(try await client.get("/es/news").text.contains("CEJ pide “escuelas santuario”"))
            let home = try await client.get("/es/").text
            #expect(home.contains("CEJ pide “escuelas santuario”"), "the home page lists the translated title")
            #expect(
                home.contains(
                    "<section class=\"mission\" aria-labelledby=\"mission-heading\">\n    <h2 id=\"mission-heading\">Nuestra misión</h2>\n    <div class=\"prose\" lang=\"en\" dir=\"ltr\">"
                )
            )
            #expect(try await client.get("/news/cej-calls-for-sanctuary-schools").text.contains("<h1>CEJ Calls For “Sanctuary Schools”</h1>"))
            let arabic = try await client.get("/ar/news/cej-calls-for-sanctuary-schools").text
            #expect(arabic.contains("لم تُترجم هذه الصفحة إلى العربية بعد"))
            #expect(arabic.contains("<h1 lang=\"en\" dir=\"ltr\">CEJ Calls For “Sanctuary Schools”</h1>"))

            // Campaigns belong to organizers, and so do their translations.
            #expect(try await editor.get(client, "/admin/campaigns").status == .forbidden)
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            let campaigns = try await organizer.get(client, "/admin/campaigns").text
            let campaign = try #require(campaigns.range(of: #"/admin/campaigns/[0-9a-f-]{36}"#, options: .regularExpression))
            let translated = try await organizer.post(
                client,
                String(campaigns[campaign]) + "/translations/es",
                [("title", "Escuelas santuario"), ("body", "Las escuelas deben ser un refugio.")]
            )
            #expect(translated.status == .seeOther)
            let page = try await client.get("/es/campaigns/sanctuary-schools").text
            #expect(page.contains("<h1>Escuelas santuario</h1>"))
            #expect(page.contains("Las escuelas deben ser un refugio."))
            #expect(try await organizer.post(client, String(campaigns[campaign]) + "/translations/es/delete").status == .seeOther)
            #expect(try await client.get("/es/campaigns/sanctuary-schools").text.contains("<h1 lang=\"en\" dir=\"ltr\">"))
        }
    }

    @Test func test_catalogs_mark_their_unreviewed_translations_as_drafts() throws {
        let catalogs = try StringCatalogs.bundled()
        for (code, catalog) in catalogs.catalogs where code != "en" {
            #expect(!catalog.drafts.isEmpty, "\(code) was written without a native speaker's review yet")
            #expect(catalog.drafts.isSubset(of: Set(catalog.strings.keys)), "\(code) lists drafts it does not have")
        }
    }
}

@Suite("Right-to-left pages")
struct RightToLeftTests {
    /// English shown untranslated on an Arabic or Urdu page keeps its own direction, and an
    /// English name inside an Arabic sentence is isolated.
    @Test func test_english_on_arabic_pages_is_marked_ltr_and_names_in_sentences_are_isolated() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addPosts(1, to: site, categories: ["Action Alerts"])
        try await site.run { client async throws in
            for path in ["/ar", "/ar/news", "/ar/campaigns/sanctuary-schools", "/ur/mission", "/ar/category/action-alerts"] {
                let html = try await client.get(path).text
                // Elements marked English (not `hreflang`, which names a link's target).
                let marked = html.components(separatedBy: " lang=\"en\"").count - 1
                let withDirection = html.components(separatedBy: " lang=\"en\" dir=\"ltr\"").count - 1
                #expect(marked > 0, "\(path) shows untranslated English")
                #expect(marked == withDirection, "\(path): \(marked) lang=en, \(withDirection) with dir=ltr")
            }
            let category = try await client.get("/ar/category/action-alerts").text
            #expect(category.contains("\u{2068}Action Alerts\u{2069}"))
            #expect(!(try await client.get("/category/action-alerts").text.contains("\u{2068}")))
        }
    }
}
