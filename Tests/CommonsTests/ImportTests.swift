import CommonsContent
import CommonsImport
import CommonsStorage
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

@Suite("WordPress import")
struct ImportTests {
    /// Migrates the test's database and imports `xml` into it.
    func importing(
        _ xml: String,
        into site: TestSite,
        uploads: URL? = nil,
        dryRun: Bool = false
    ) async throws -> WordPressImport.Report {
        try await site.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            return try await WordPressImport(database: store.database, clock: .system, timeZone: TimeZone(identifier: "America/New_York")!).run(
                Data(xml.utf8),
                options: .init(uploads: uploads, dryRun: dryRun),
                by: .system("test")
            )
        }
    }

    func utc(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text)!
    }

    @Test func test_an_export_brings_in_posts_pages_documents_and_terms_with_safe_bodies() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        let uploads = try WXRFixture.uploads(in: site.database.folder)
        let report = try await importing(WXRFixture.standard(), into: site, uploads: uploads)
        #expect(report.posts == .init(created: 4, updated: 0, unchanged: 0))
        #expect(report.pages == .init(created: 1, updated: 0, unchanged: 0))
        #expect(report.documents == .init(created: 2, updated: 0, unchanged: 0))
        #expect(report.categories.created == 3)
        #expect(report.tags.created == 1)
        #expect(report.shortcodesRemoved == 2)
        #expect(report.skipped.count == 1)
        #expect(report.skipped.first?.item.contains("Lost flyer") == true)
        #expect(report.skipped.first?.reason.contains("2017/01/lost-flyer.pdf") == true)
        #expect(report.summary.contains("posts: 4 new"))

        try await site.withStore { store async throws in
            let db = store.database
            let rally = try #require(
                try await Post.query(on: db).filter(\.$slug == "parents-rally-for-sanctuary-schools").with(\.$categories).with(\.$tags).first()
            )
            #expect(rally.status == .published)
            #expect(rally.publishAt == utc("2016-12-08 15:00:00"))
            #expect(rally.byline == "CEJ Communications")
            #expect(rally.summary == "A rally at Tweed.")
            #expect(rally.bodyFormat == .html)
            #expect(Set(rally.categories.map(\.slug)) == ["press", "campaigns"])
            #expect(rally.tags.map(\.slug) == ["sanctuary"])
            let body = rally.body
            #expect(body.hasPrefix("<p>Parents gathered at Tweed Courthouse.</p>"))
            for banned in ["<script", "stolen", "onerror", "onclick", "style=", "class=", "javascript:", "[gallery", "[caption", "[/caption]"] {
                #expect(!body.contains(banned), "the body still has \(banned)")
            }
            #expect(body.contains("A caption kept as text"))
            #expect(body.contains("<strong>bold</strong>"))
            #expect(body.contains("<a href=\"/platform\">platform</a>"))
            #expect(body.contains("<a href=\"/news/class-size-victory\">class size victory</a>"))
            #expect(body.contains("<img src=\"/documents/rally/file\" alt=\"Parents at the rally\">"))
            #expect(body.contains("<table>") && body.contains("<th>School</th>"))
            #expect(body.contains("a bad link"))

            let victory = try #require(try await Post.query(on: db).filter(\.$slug == "class-size-victory").with(\.$categories).first())
            #expect(victory.body == "<p>The state <em>agreed</em>.</p>\n<p>Download <a href=\"/documents/report/file\">the report</a>.</p>\n")
            #expect(victory.categories.map(\.name) == ["Class Size"])

            let draft = try #require(try await Post.query(on: db).filter(\.$title == "Draft statement").first())
            #expect(draft.status == .draft)
            #expect(draft.publishAt == nil)
            #expect(draft.slug == "draft-statement")
            let scheduled = try #require(try await Post.query(on: db).filter(\.$slug == "budget-hearing-testimony").first())
            #expect(scheduled.status == .scheduled)
            #expect(scheduled.publishAt == utc("2031-03-01 14:00:00"))

            let page = try #require(try await Page.query(on: db).filter(\.$slug == "platform").first())
            #expect(page.body == "<h2>Platform</h2>\n<ul>\n<li>Equity</li>\n<li>Language access</li>\n</ul>\n")
            let photo = try #require(try await Document.query(on: db).filter(\.$slug == "rally").first())
            #expect(photo.contentType == "image/jpeg")
            #expect(photo.publishedAt == utc("2016-12-08 15:00:00"))
            let report = try #require(try await Document.query(on: db).filter(\.$slug == "report").first())
            #expect(report.description == "The full report.")
            #expect(try await Category.query(on: db).filter(\.$slug == "class-size").first()?.name == "Class Size")
            #expect(try await Category.query(on: db).filter(\.$slug == "campaigns").first()?.description == "What parents are fighting for")
        }

        try await site.run { client async throws in
            let post = try await client.get("/news/parents-rally-for-sanctuary-schools")
            #expect(post.status == .ok)
            #expect(post.text.contains("<p>Parents gathered at Tweed Courthouse.</p>"))
            #expect(post.text.contains("CEJ Communications"))
            #expect(try await client.get("/news/draft-statement").status == .notFound)
            #expect(try await client.get("/news/budget-hearing-testimony").status == .notFound)
            #expect(try await client.get("/platform").text.contains("<li>Language access</li>"))
            #expect(try await client.get("/documents/rally/file").headers[.contentType] == "image/jpeg")
            #expect(try await client.get("/search?q=Tweed").text.contains("Parents Rally for Sanctuary Schools"))
        }
    }

    @Test func test_every_old_address_answers_301_to_its_new_page() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        let uploads = try WXRFixture.uploads(in: site.database.folder)
        _ = try await importing(WXRFixture.standard(), into: site, uploads: uploads)
        try await site.run { client async throws in
            let moved = [
                "/2016/12/08/parents-rally-for-sanctuary-schools/": "/news/parents-rally-for-sanctuary-schools",
                "/2016/12/08/parents-rally-for-sanctuary-schools": "/news/parents-rally-for-sanctuary-schools",
                "/?p=101": "/news/parents-rally-for-sanctuary-schools",
                "/?p=103": "/news/draft-statement",
                "/?page_id=105": "/platform",
                "/platform/": "/platform",
                "/wp-content/uploads/2016/12/rally.jpg": "/documents/rally/file",
                "/wp-content/uploads/2017/01/report.pdf": "/documents/report/file",
                "/2016/12/08/parents-rally-for-sanctuary-schools/rally/": "/documents/rally",
                "/?attachment_id=202": "/documents/report",
                "/category/campaigns/class-size/": "/category/class-size",
                "/?cat=3": "/category/press",
                "/category/press/": "/category/press",
                "/tag/sanctuary/": "/tag/sanctuary",
                "/2016/": "/news",
                "/2016/12": "/news",
                "/2017/01/15/": "/news",
                "/feed/": "/feed",
            ]
            for (old, new) in moved {
                let response = try await client.get(old)
                #expect(response.status == .movedPermanently, "\(old) answers \(response.status)")
                #expect(response.headers[.location] == new, "\(old) goes to \(response.headers[.location] ?? "nowhere")")
            }
            for page in ["/category/press", "/category/class-size", "/tag/sanctuary", "/documents/report"] {
                #expect(try await client.get(page).status == .ok, "\(page) exists")
            }
            // The attachment whose file was missing has nowhere to go.
            #expect(try await client.get("/wp-content/uploads/2017/01/lost-flyer.pdf").status == .notFound)
        }
    }

    @Test func test_importing_again_changes_only_what_changed() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        let uploads = try WXRFixture.uploads(in: site.database.folder)
        let first = try await importing(WXRFixture.standard(), into: site, uploads: uploads)
        #expect(first.redirects > 10)
        let again = try await importing(WXRFixture.standard(), into: site, uploads: uploads)
        #expect(again.posts == .init(created: 0, updated: 0, unchanged: 4))
        #expect(again.pages == .init(created: 0, updated: 0, unchanged: 1))
        #expect(again.documents == .init(created: 0, updated: 0, unchanged: 2))
        #expect(again.categories == .init(created: 0, updated: 0, unchanged: 3))
        #expect(again.redirects == 0)
        let counts = try await site.withStore { store async throws in
            (
                try await Post.query(on: store.database).count(), try await PostRevision.query(on: store.database).count(),
                try await Document.query(on: store.database).count(), try await Redirect.query(on: store.database).count()
            )
        }
        #expect(counts.0 == 4)
        #expect(counts.1 == 0, "an unchanged post gets no new revision")
        #expect(counts.2 == 2)

        let edited = WXRFixture.standard().replacingOccurrences(of: "<title>Class Size Victory</title>", with: "<title>Class Size Win</title>")
        let third = try await importing(edited, into: site, uploads: uploads)
        #expect(third.posts == .init(created: 0, updated: 1, unchanged: 3))
        try await site.withStore { store async throws in
            #expect(try await Post.query(on: store.database).filter(\.$slug == "class-size-victory").first()?.title == "Class Size Win")
            #expect(try await Post.query(on: store.database).count() == 4)
            #expect(try await Redirect.query(on: store.database).count() == counts.3)
        }
    }

    @Test func test_a_dry_run_reports_and_writes_nothing() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        let uploads = try WXRFixture.uploads(in: site.database.folder)
        let report = try await importing(WXRFixture.standard(), into: site, uploads: uploads, dryRun: true)
        #expect(report.dryRun)
        #expect(report.posts.created == 4)
        #expect(report.summary.hasPrefix("Dry run: nothing was written."))
        try await site.withStore { store async throws in
            #expect(try await Post.query(on: store.database).count() == 0)
            #expect(try await Document.query(on: store.database).count() == 0)
            #expect(try await Redirect.query(on: store.database).count() == 0)
            #expect(try await Category.query(on: store.database).count() == 0)
        }
    }

    @Test func test_broken_files_import_nothing() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        let valid = WXRFixture.standard()
        await #expect(throws: WXRError.self) { try await importing(String(valid.prefix(valid.count / 2)), into: site) }
        do {
            _ = try await importing(String(valid.prefix(valid.count / 2)), into: site)
        } catch let error as WXRError {
            guard case .malformed(let line, _) = error else { throw error }
            #expect(line > 1)
            #expect(error.description.contains("not well-formed XML"))
        }
        await #expect(throws: WXRError.notWordPress) {
            try await importing("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>A blog</title></channel></rss>", into: site)
        }
        await #expect(throws: WXRError.unsupportedVersion("9.9")) { try await importing(WXRFixture.export(version: "9.9", items: []), into: site) }
        await #expect(throws: WXRError.self) { try await importing("", into: site) }
        // A bad item halfway through undoes the items before it: all or nothing.
        let tooLong = WXRFixture.export(items: [
            WXRFixture.item(id: 1, title: "Fine", slug: "fine", date: "2016-01-01 10:00:00", gmt: "2016-01-01 15:00:00", content: "ok"),
            WXRFixture.item(
                id: 2,
                title: String(repeating: "Long ", count: 100),
                slug: "long",
                date: "2016-01-02 10:00:00",
                gmt: "2016-01-02 15:00:00"
            ),
        ])
        await #expect(throws: (any Error).self) { try await importing(tooLong, into: site) }
        try await site.withStore { store async throws in
            #expect(try await Post.query(on: store.database).count() == 0)
            #expect(try await Category.query(on: store.database).count() == 0)
            #expect(try await Redirect.query(on: store.database).count() == 0)
        }
    }

    @Test(.enabled(if: ServerProcessTests.executable != nil, "the commons executable is not built (run swift build first)"))
    func test_import_on_the_command_line() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        let folder = site.database.folder
        let uploads = try WXRFixture.uploads(in: folder)
        let file = folder.appendingPathComponent("export.xml")
        try Data(WXRFixture.standard().utf8).write(to: file)
        let commands = StaffCommandTests()
        let dry = try await commands.run(["import", "wordpress", file.path, "--uploads", uploads.path, "--dry-run"], dataDirectory: folder.path)
        #expect(dry.status == 0, "\(dry.output)")
        #expect(dry.output.contains("Dry run: nothing was written."))
        let real = try await commands.run(["import", "wordpress", file.path, "--uploads", uploads.path], dataDirectory: folder.path)
        #expect(real.status == 0, "\(real.output)")
        #expect(real.output.contains("[1/8] post #101 “Parents Rally for Sanctuary Schools”"))
        #expect(real.output.contains("posts: 4 new, 0 updated, 0 unchanged"))
        #expect(real.output.contains("file not found in the uploads folder: 2017/01/lost-flyer.pdf"))
        let broken = folder.appendingPathComponent("broken.xml")
        try Data("<rss><channel>".utf8).write(to: broken)
        let failed = try await commands.run(["import", "wordpress", broken.path], dataDirectory: folder.path)
        #expect(failed.status != 0)
        #expect(failed.output.contains("not well-formed XML"))
        try await site.withStore { store async throws in
            #expect(try await Post.query(on: store.database).count() == 4)
        }
    }

    @Test func test_an_imported_post_stays_html_when_an_editor_changes_it() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        _ = try await importing(WXRFixture.standard(), into: site)
        try await addStaff(site, email: "ed@example.org", role: .editor)
        let id = try await site.withStore { store async throws in
            try #require(try await Post.query(on: store.database).filter(\.$slug == "class-size-victory").first()?.id)
        }
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let url = "/admin/posts/\(id.uuidString.lowercased())"
            let form = try await editor.get(client, url).text
            #expect(form.contains("HTML, as it came from WordPress"))
            #expect(form.contains("&lt;em&gt;agreed&lt;/em&gt;"), "the HTML is shown as text to edit")
            let fields = [
                ("title", "Class Size Victory"), ("slug", "class-size-victory"), ("status", "published"),
                ("publish_at", "2017-01-15T18:30"), ("body", "<p>The state <em>agreed</em> at last.</p><script>alert(1)</script>"),
            ]
            let preview = try await editor.post(client, url, fields + [("intent", "preview")])
            #expect(preview.text.contains("<p>The state <em>agreed</em> at last.</p>"))
            #expect(try await editor.post(client, url, fields + [("intent", "save")]).status == .seeOther)
            let page = try await client.get("/news/class-size-victory").text
            #expect(page.contains("<p>The state <em>agreed</em> at last.</p>"))
            #expect(!page.contains("alert(1)"))
        }
        try await site.withStore { store async throws in
            let post = try #require(try await Post.find(id, on: store.database))
            #expect(post.bodyFormat == .html)
            #expect(post.body == "<p>The state <em>agreed</em> at last.</p>\n")
        }
    }

    @Test func test_the_sanitizer_keeps_structure_and_drops_everything_else() {
        let sanitizer = HTMLSanitizer()
        let output = sanitizer.sanitize(
            """
            <div class="x"><h1 id="t">Title</h1>First line
            second line

            Next paragraph with <span style="x">span</span> and <iframe src="https://evil.example"></iframe>text.</div>
            <blockquote>Quoted <i>words</i></blockquote>
            <img src="data:image/png;base64,AAAA" alt="x"><img src="https://example.org/a.png" alt="A" width="40" height="oops">
            <a href="  JaVaScRiPt:alert(1)">x</a><a href="https://example.org/?a=1&amp;b=&quot;2&quot;" title="T">ok</a>
            <style>p{}</style><ol start="3"><li>three</li></ol><figure><img src="/x.png" alt="X"><figcaption>Cap</figcaption></figure>
            """
        )
        #expect(
            output.html == """
                <h2>Title</h2>
                <p>First line<br>second line</p>
                <p>Next paragraph with span and text.</p>
                <blockquote><p>Quoted <em>words</em></p>
                </blockquote>
                <p><img src="https://example.org/a.png" alt="A" width="40"> x<a href="https://example.org/?a=1&amp;b=&quot;2&quot;" title="T">ok</a></p>
                <ol start="3">
                <li>three</li>
                </ol>
                <figure><p><img src="/x.png" alt="X"></p>
                <figcaption>Cap</figcaption>
                </figure>

                """
        )
        #expect(output.text.contains("Next paragraph with span and text."))
        #expect(!output.text.contains("p{}"))
        #expect(
            HTMLSanitizer().sanitize("Keep [sic] and [1] but not [embed]https://x[/embed] or [vc_row]").html
                == "<p>Keep [sic] and [1] but not https://x or</p>\n"
        )
    }
}
