import CommonsAccounts
import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// What an attack on the first wave found, each kept from coming back: numbers and dates that
/// trapped the process, open redirects, slow clients, cache filling, and the smaller ones.
@Suite("Hardening")
struct HardeningTests {
    // MARK: Numbers and dates from requests

    @Test func test_page_numbers_that_would_overflow_answer_404_and_the_server_lives() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ada@example.org", role: .admin)
        try await site.run { client async throws in
            for path in [
                "/search?q=a&page=9223372036854775807", "/search?q=a&page=-1", "/search?q=a&page=0", "/search?q=a&page=1e3",
                "/search?q=a&page=99999999999999999999", "/search?q=school&page=500", "/news/page/9223372036854775807", "/news/page/-9",
                "/documents/page/922337203685477581", "/category/news/page/99999999999999",
            ] {
                #expect(try await client.get(path).status == .notFound, "\(path)")
            }
            let admin = try #require(try await StaffBrowser.signIn(client, email: "ada@example.org"))
            #expect(try await admin.get(client, "/admin/audit?page=922337203685477581").status == .notFound)
            #expect(try await admin.get(client, "/admin/supporters?page=9223372036854775807").status == .notFound)
            #expect(try await admin.get(client, "/admin/audit?page=1").status == .ok)
            #expect(try await client.get("/search?q=school").status == .ok)
        }
    }

    @Test func test_pagination_checks_numbers_before_arithmetic() {
        #expect(Pagination.page("3") == 3)
        for text in ["", "0", "-1", "+1", "1.0", "١", "100001", "9223372036854775807", " 1"] { #expect(Pagination.page(text) == nil, "\(text)") }
        #expect(Pagination.offset(page: 3, perPage: 10) == 20)
        #expect(Pagination.offset(page: Int.max, perPage: 10) == nil)
        #expect(Pagination.offset(page: 1, perPage: 0) == nil)
    }

    @Test func test_http_dates_out_of_range_are_not_dates() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        for text in [
            "Wed, 01 Jan 99999999999 00:00:00 GMT", "Wed, 01 Jan -2000 00:00:00 GMT", "Wed, 01 Jan 1899 00:00:00 GMT",
            "Wed, 99 Jan 2020 00:00:00 GMT", "Wed, 01 Jan 2020 24:00:00 GMT", "Wed, 01 Jan 2020 00:60:00 GMT",
            "Wed, 01 Jan 2020 00:00:00 UTC", "Wed, 1 Jan 2020 00:00:00 GMT", "Wed, 01 Jan 2020 0:00:00 GMT", "Wed, 01 Jan 2020 00:00:00:00 GMT",
            "Wed, 01 Jan 9223372036854775807 00:00:00 GMT", "", "GMT",
        ] {
            #expect(HTTPDate.parse(text) == nil, "\(text)")
        }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(HTTPDate.parse(HTTPDate.string(now)) == now)
    }

    @Test func test_an_absurd_if_modified_since_is_ignored() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            for path in ["/", "/news", "/feed", "/sitemap.xml"] {
                let response = try await client.get(path, headers: [.ifModifiedSince: "Wed, 01 Jan 99999999999 00:00:00 GMT"])
                #expect(response.status == .ok, "\(path)")
            }
            let first = try await client.get("/news")
            let lastModified = try #require(first.headers[.lastModified])
            #expect(try await client.get("/news", headers: [.ifModifiedSince: lastModified]).status == .notModified)
        }
    }

    @Test func test_dates_outside_1900_to_9999_are_refused_in_staff_forms() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "org@example.org", role: .organizer)
        try await site.run { client async throws in
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            for start in ["99999-01-01T10:00", "1899-12-31T10:00", "9223372036854775807-01-01T10:00", "2030-02-30T10:00", "2030-01-01T10:00:00"] {
                let response = try await organizer.post(
                    client,
                    "/admin/events",
                    [("title", "Far"), ("starts_at", start), ("ends_at", "2030-01-01T12:00"), ("time_zone", "America/New_York")]
                )
                #expect(response.status == .unprocessableContent, "\(start)")
            }
            #expect(LocalDateTime.parse("2030-03-10T18:00", in: Settings.defaultTimeZone) != nil)
            for number in ["99999999999999999999", "-5", "10000001"] {
                let goal = try await organizer.post(
                    client,
                    "/admin/campaigns",
                    [("title", "Big"), ("kind", "petition"), ("status", "open"), ("description", "x"), ("goal", number)]
                )
                #expect(goal.status == .unprocessableContent, "\(number)")
            }
        }
    }

    // MARK: Redirects and headers

    @Test func test_the_language_switch_never_redirects_off_the_site() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            for next in [
                "%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%5C%2Fevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example",
                "%2F%20%2Fevil.example", "%09%2F%2Fevil.example", "javascript%3Aalert(1)", "%2F%E2%80%A8%2Fevil.example",
            ] {
                let response = try await client.get("/language/es?next=\(next)")
                #expect(response.status == .seeOther || response.status == .found, "\(next)")
                #expect(response.headers[.location] == "/es", "\(next) went to \(response.headers[.location] ?? "")")
            }
            let local = try await client.get("/language/es?next=%2Fes%2Fnews%3Fx%3D1")
            #expect(local.headers[.location] == "/es/news?x=1")
        }
        #expect(SitePath.localRedirectTarget("/news") == "/news")
        #expect(SitePath.localRedirectTarget("/\t/evil.example") == nil)
    }

    @Test func test_range_headers_of_other_units_are_ignored_and_numbers_never_overflow() {
        #expect(ByteRange.parse("items=0-10", length: 100) == .ignored)
        #expect(ByteRange.parse("bytes=0-10", length: 100) == .bytes(0, 10))
        #expect(ByteRange.parse("bytes=90-", length: 100) == .bytes(90, 99))
        #expect(ByteRange.parse("bytes=-10", length: 100) == .bytes(90, 99))
        #expect(ByteRange.parse("bytes=-0", length: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=200-300", length: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=99999999999999999999999-", length: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=0-99999999999999999999999", length: 100) == .bytes(0, 99))
        #expect(ByteRange.parse("bytes=-99999999999999999999999", length: 100) == .bytes(0, 99))
        #expect(ByteRange.parse("bytes=10-5", length: 100) == .ignored)
        #expect(ByteRange.parse("bytes=+1-2", length: 100) == .ignored)
        #expect(ByteRange.parse("bytes=a-b", length: 100) == .ignored)
    }

    @Test func test_a_document_answers_other_range_units_with_the_whole_file() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let documents = try await client.get("/documents").text
            let file = try #require(
                documents.range(of: #"/documents/[a-z0-9-]+"#, options: .regularExpression).map { String(documents[$0]) + "/file" }
            )
            #expect(try await client.get(file, headers: [.range: "items=0-10"]).status == .ok)
            #expect(try await client.get(file, headers: [.range: "bytes=0-10"]).status == .partialContent)
            #expect(try await client.get(file, headers: [.range: "bytes=999999999999999999999-"]).status == .rangeNotSatisfiable)
        }
    }

    @Test func test_random_query_strings_do_not_make_new_cache_entries() {
        let base = HTTPCachingMiddleware.cacheKey(path: "/sitemap.xml", query: nil)
        #expect(HTTPCachingMiddleware.cacheKey(path: "/sitemap.xml", query: "x=1") == base)
        #expect(HTTPCachingMiddleware.cacheKey(path: "/sitemap.xml", query: "x=2&y=3") == base)
        #expect(HTTPCachingMiddleware.cacheKey(path: "/search", query: "q=a&page=2&utm=x") == "/search?page=2&q=a")
        #expect(HTTPCachingMiddleware.cacheKey(path: "/search", query: "utm=x&page=2&q=a") == "/search?page=2&q=a")
    }

    @Test func test_a_page_cache_flooded_with_random_queries_holds_one_entry_per_page() async throws {
        let cache = PageCache(capacity: 1 << 20) { 1 }
        let middleware = HTTPCachingMiddleware(cache: cache)
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: middleware)
        let renders = Counter()
        router.get("/sitemap.xml") { _, _ in
            renders.increment()
            return Response(
                status: .ok,
                headers: [.contentType: "application/xml"],
                body: .init(byteBuffer: ByteBuffer(string: String(repeating: "<url/>", count: 500)))
            ).sharedCacheable()
        }
        let app = Application(router: router)
        try await app.test(.router) { client async throws in
            for number in 0..<50 { #expect(try await client.get("/sitemap.xml?x=\(number)").status == .ok) }
        }
        #expect(renders.value == 1)
        #expect(cache.entryCount == 1)
    }

    // MARK: Staff

    @Test func test_staff_emails_must_be_real_addresses() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            let directory = StaffDirectory(database: store.database, clock: .system)
            for email in [
                "a@b", "a@b.c", "a\u{7}@example.org", "a@example.org\r\nBcc: x@y.org", "a b@example.org", "\"a\"@example.org", "@example.org",
            ] {
                await #expect(throws: ValidationErrors(field: "email", message: "error.email_invalid"), "\(email)") {
                    try await directory.add(email: email, name: "", role: .editor, password: "correct horse battery staple", by: nil)
                }
            }
        }
    }

    @Test func test_a_page_from_an_http_origin_cannot_post_to_the_https_site() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let response = try await client.execute(
                uri: "/admin/posts",
                method: .post,
                headers: [.cookie: editor.cookie, .contentType: "application/x-www-form-urlencoded", .origin: "http://commons.test"],
                body: formBody([("csrf_token", editor.csrf), ("title", "Downgraded"), ("body", "x"), ("status", "draft")])
            )
            #expect(response.status == .forbidden)
        }
    }

    @Test func test_a_tag_used_only_by_drafts_is_not_found() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let newsroom = Newsroom(database: store.database, clock: .system)
            try await newsroom.create(PostDraft(title: "Plan", body: "Secret.", status: .draft, categories: ["Strike plans"], tags: ["walkout-date"]))
            try await newsroom.create(
                PostDraft(title: "Later", body: "Soon.", status: .published, publishAt: Date(timeIntervalSinceNow: 86400), tags: ["embargoed"])
            )
        }
        try await site.run { client async throws in
            for path in ["/tag/walkout-date", "/tag/embargoed", "/category/strike-plans", "/category/strike-plans/feed", "/es/tag/walkout-date"] {
                let response = try await client.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(!response.text.contains("walkout") && !response.text.contains("Strike plans"))
            }
        }
    }

    // MARK: Markdown

    @Test func test_markdown_is_rendered_once_when_saved_and_pages_print_what_was_stored() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let newsroom = Newsroom(database: store.database, clock: .system)
            let post = try await newsroom.create(
                PostDraft(title: "Stored", body: "Parents **lead**.", status: .published, publishAt: Date(timeIntervalSinceNow: -60))
            )
            #expect(post.bodyHTML == "<p>Parents <strong>lead</strong>.</p>")
            // Changing the source behind the model's back changes nothing shown: pages never parse it.
            try await store.sql.raw("UPDATE posts SET body = \(bind: String(repeating: "[", count: 10_000))").run()
            try await store.sql.raw("UPDATE campaigns SET description = \(bind: String(repeating: "![", count: 5000))").run()
        }
        try await site.run { client async throws in
            let page = try await client.get("/news/stored")
            #expect(page.text.contains("Parents <strong>lead</strong>."))
            #expect(try await client.get("/campaigns/sanctuary-schools").status == .ok)
            #expect(try await client.get("/").status == .ok)
        }
    }

    @Test func test_rows_saved_before_rendering_was_stored_are_rendered_by_the_migration() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            // As a database from before the migration: no stored HTML, the migration not yet run.
            for (table, column) in [("posts", "body_html"), ("pages", "body_html"), ("translations", "body_html"), ("campaigns", "description_html")]
            {
                try await store.sql.raw("ALTER TABLE \(ident: table) DROP COLUMN \(ident: column)").run()
            }
            try await store.sql.raw("ALTER TABLE events DROP COLUMN description_html").run()
            try await store.sql.raw("DELETE FROM _fluent_migrations WHERE name LIKE '%StoreRendered%'").run()
        }
        try await site.run { client async throws in
            let home = try await client.get("/").text
            #expect(home.contains("<h2") || home.contains("<p>"))
            let campaign = try await client.get("/campaigns/sanctuary-schools").text
            #expect(campaign.contains("<p>"))
        }
        try await site.withStore { store async throws in
            let empty = try await store.sql.raw("SELECT count(*) AS n FROM posts WHERE body_html = ''").first(decoding: Count.self)
            #expect(empty?.n == 0)
        }
    }

    /// Found by the HTML sanitizer's fuzzer: an unknown element directly inside a list or a
    /// table came out as itself.
    @Test func test_unknown_elements_inside_lists_and_tables_do_not_come_out_as_themselves() {
        let sanitizer = HTMLSanitizer()
        for html in [
            "<ul><plaintext>x</plaintext><li>a</li></ul>", "<ol><textarea>x</textarea></ol>", "<table><svg><g>x</g></svg><tr><td>1</td></tr></table>",
            "<ul><UTF-8b>x</UTF-8b></ul>", "<tr><xmp>x</xmp></tr>", "\n\u{A1}\0\u{14}<ol\u{FFFD}>\u{FFFD}<UTF-8b\u{FFFD}>",
        ] {
            let result = sanitizer.sanitize(html).html
            for tag in ["<plaintext", "<textarea", "<svg", "<g>", "<utf-8b", "<xmp"] {
                #expect(!result.lowercased().contains(tag), "\(html) → \(result)")
            }
        }
        #expect(sanitizer.sanitize("<ul><p>kept</p></ul>").html.contains("<li>kept</li>"))
    }

    // MARK: Escaping

    /// A quote followed by a combining mark is one Swift `Character`; escapers that work by
    /// Character (Mustache's, and ours before) let it through, ending an attribute value.
    @Test func test_a_quote_fused_with_a_combining_mark_cannot_end_an_attribute() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        let hostile = "Ana\"\u{0301} autofocus onfocus=alert(1) x=\"\u{0301}<\u{0338}b>"
        try await site.run { client async throws in
            // Re-shown with an error (no email): the value goes back into value="…".
            let response = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, [("given_name", hostile), ("email", "")])
            #expect(response.status == .unprocessableContent)
            let scalars = Array(response.text.unicodeScalars)
            let fused = zip(scalars, scalars.dropFirst()).contains { ["\"", "<", "'"].contains($0.0) && $0.1.properties.isGraphemeExtend }
            #expect(!fused)
            #expect(response.text.contains("Ana\u{FF02}\u{0301} autofocus"))
        }
        #expect(HTMLText.escape("a\"\u{0301}") == "a&quot;\u{0301}")
        #expect(HTMLText.unfusingMarkup("plain \"quotes\" stay") == "plain \"quotes\" stay")
        #expect(HTMLText.unfusingMarkup("Qué \"sí\"") == "Qué \"sí\"")
    }

    /// Found by the CSV fuzzer: the quote was not doubled, so the cell ended early and the
    /// rest of the name became cells of its own (a formula among them) in the export.
    @Test func test_a_quote_fused_with_a_combining_mark_stays_inside_its_csv_cell() {
        let line = CSVLine.line(["Ana\"\u{05C7},=HYPERLINK(\"http://x\")", "Ruiz"])
        #expect(line == "\"Ana\"\"\u{05C7},=HYPERLINK(\"\"http://x\"\")\",Ruiz\r\n")
    }

    // MARK: Files

    @Test func test_the_data_folder_and_database_are_the_owners_alone_even_when_they_were_not() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let folder = site.settings.dataDirectory
        let file = folder + "/commons.sqlite"
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(folder) == 0o700)
        #expect(try mode(file) == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        #expect(try mode(folder) == 0o700)
        #expect(try mode(file) == 0o600)
        for sidecar in [file + "-wal", file + "-shm"] where FileManager.default.fileExists(atPath: sidecar) {
            #expect(try mode(sidecar) & 0o077 == 0)
        }
    }
}

struct Count: Decodable {
    let n: Int
}

/// Counts calls from concurrent handlers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

@Suite("Time zone")
struct TimeZoneSettingTests {
    @Test func test_commons_time_zone_sets_the_coalitions_zone_and_a_bad_one_stops_start_up() throws {
        #expect(try Settings.fromEnvironment([:]).timeZone.identifier == "America/New_York")
        #expect(try Settings.fromEnvironment(["COMMONS_TIME_ZONE": "America/Chicago"]).timeZone.identifier == "America/Chicago")
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["COMMONS_TIME_ZONE": "Mars/Olympus_Mons"]) }
        do {
            _ = try Settings.fromEnvironment(["COMMONS_TIME_ZONE": "Mars/Olympus_Mons"])
        } catch let error as SettingsError {
            #expect(error.variable == "COMMONS_TIME_ZONE")
        }
    }

    @Test func test_staff_type_times_in_the_coalitions_zone() async throws {
        var made = try await TestSite.make()
        made.settings.timeZone = try #require(TimeZone(identifier: "America/Chicago"))
        let site = made
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "org@example.org", role: .organizer)
        try await site.run { client async throws in
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            let form = try await organizer.get(client, "/admin/events/new").text
            #expect(form.contains("America/Chicago"))
        }
    }
}

@Suite("Not found")
struct NotFoundTests {
    /// Every concern's "no such item" is a 404 page, matched once; malformed ids too.
    @Test func test_saving_what_another_editor_deleted_and_malformed_ids_answer_404() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await addStaff(site, email: "org@example.org", role: .organizer)
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            let created = try await editor.post(client, "/admin/posts", [("title", "Soon gone"), ("body", "x"), ("status", "draft")])
            let editURL = try #require(created.headers[.location])
            let id = try #require(UUID(uuidString: String(editURL.split(separator: "/").last ?? "")))
            try await site.withStore { store async throws in
                try await Newsroom(database: store.database, clock: .system).delete(id)
            }
            let save = try await editor.post(client, editURL, [("title", "Edited"), ("body", "y"), ("status", "draft")])
            #expect(save.status == .notFound)
            let missing = UUID().uuidString.lowercased()
            for path in ["/admin/posts/not-a-uuid", "/admin/posts/\(missing)", "/admin/pages/123", "/admin/documents/\(missing)x"] {
                #expect(try await editor.get(client, path).status == .notFound, "\(path)")
            }
            #expect(try await organizer.get(client, "/admin/supporters/zzz").status == .notFound)
            #expect(try await organizer.post(client, "/admin/supporters/\(missing)/tags", [("tag", "x")]).status == .notFound)
            #expect(try await organizer.post(client, "/admin/supporters/\(missing)/actions/garbage/apply").status == .notFound)
            #expect(try await organizer.post(client, "/admin/supporters/\(missing)/actions/\(missing)/apply").status == .notFound)
        }
    }
}
