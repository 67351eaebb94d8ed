import CommonsContent
import CommonsCore
import CommonsStorage
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// Adds published posts an hour apart, newest first, after the demo content has loaded.
func addPosts(
    _ count: Int,
    to site: TestSite,
    titled title: (Int) -> String = { "Update number \($0)" },
    categories: [String] = [],
    tags: [String] = []
) async throws {
    try await site.run { client async throws in _ = try await client.get("/healthz") }
    try await site.withStore { store async throws in
        let newsroom = Newsroom(database: store.database, clock: .system)
        for number in 1...count {
            try await newsroom.create(
                PostDraft(
                    title: title(number),
                    body: "Text of post \(number).",
                    status: .published,
                    publishAt: Date(timeIntervalSinceNow: Double(-number * 3600)),
                    categories: categories,
                    tags: tags
                )
            )
        }
    }
}

@Suite("Publishing")
struct PublishingTests {
    // MARK: Pagination

    func paginationEdges(_ backend: TestDatabase.Backend) async throws {
        let site = try await TestSite.make(backend)
        defer { Task { await site.destroy() } }
        // 20 new posts and the seed post: pages of 10, 10 and 1.
        try await addPosts(20, to: site, categories: ["Action Alerts"], tags: ["Budget"])
        try await site.run { client async throws in
            let first = try await client.get("/news")
            #expect(first.status == .ok)
            #expect(first.text.components(separatedBy: "<article class=\"post-teaser\">").count == 11)
            #expect(first.text.contains("<link rel=\"next\" href=\"/news/page/2\">"))
            #expect(!first.text.contains("rel=\"prev\""))
            #expect(first.text.contains("Page 1 of 3"))

            let second = try await client.get("/news/page/2")
            #expect(second.text.contains("<link rel=\"prev\" href=\"/news\">"))
            #expect(second.text.contains("<link rel=\"next\" href=\"/news/page/3\">"))
            #expect(second.text.contains("<a href=\"/news\" rel=\"prev\">Newer posts</a>"))
            #expect(second.text.contains("<a href=\"/news/page/3\" rel=\"next\">Older posts</a>"))

            let last = try await client.get("/news/page/3")
            #expect(last.text.components(separatedBy: "<article class=\"post-teaser\">").count == 2)
            #expect(last.text.contains("CEJ Calls For"))
            #expect(!last.text.contains("Older posts"))

            #expect(try await client.get("/news/page/4").status == .notFound)
            #expect(try await client.get("/news/page/0").status == .notFound)
            #expect(try await client.get("/news/page/-1").status == .notFound)
            let one = try await client.get("/news/page/1")
            #expect(one.status == .movedPermanently)
            #expect(one.headers[.location] == "/news")

            // The category holds the 20 new posts: two pages.
            let category = try await client.get("/category/action-alerts")
            #expect(category.status == .ok)
            #expect(category.text.contains("<h1>Category: Action Alerts</h1>"))
            #expect(
                category.text.contains(
                    "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Action Alerts (RSS)\" href=\"/category/action-alerts/feed\">"
                )
            )
            #expect(try await client.get("/category/action-alerts/page/2").status == .ok)
            #expect(try await client.get("/category/action-alerts/page/3").status == .notFound)
            #expect(try await client.get("/category/action-alerts/page/1").headers[.location] == "/category/action-alerts")
            #expect(try await client.get("/category/no-such-category").status == .notFound)

            let tag = try await client.get("/tag/budget/page/2")
            #expect(tag.status == .ok)
            #expect(tag.text.contains("Tag: Budget, page 2"))
            #expect(try await client.get("/tag/budget/page/3").status == .notFound)
        }
    }

    @Test func test_pagination_edges_on_sqlite() async throws { try await paginationEdges(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_pagination_edges_on_postgres() async throws { try await paginationEdges(.postgres) }

    // MARK: Redirects

    func renamedPostKeepsItsOldAddress(_ backend: TestDatabase.Backend) async throws {
        let site = try await TestSite.make(backend)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let newsroom = Newsroom(database: store.database, clock: .system)
            let post = try await newsroom.create(PostDraft(title: "Rally at Tweed", body: "Be there.", status: .published))
            try await newsroom.update(post.requireID(), with: PostDraft(title: "Rally at Tweed Courthouse", body: "Be there.", status: .published))
            try await newsroom.update(
                post.requireID(),
                with: PostDraft(title: "Rally at Tweed Courthouse", slug: "tweed-rally", body: "Be there.", status: .published)
            )
            try await Redirects(database: store.database).add(from: "/?p=123", to: "/news/tweed-rally")
        }
        try await site.run { client async throws in
            for old in ["/news/rally-at-tweed", "/news/rally-at-tweed-courthouse", "/?p=123"] {
                let response = try await client.get(old)
                #expect(response.status == .movedPermanently, "\(old)")
                #expect(response.headers[.location] == "/news/tweed-rally", "\(old)")
            }
            #expect(try await client.get("/news/tweed-rally").status == .ok)
            let slash = try await client.get("/news/tweed-rally/")
            #expect(slash.status == .movedPermanently)
            #expect(slash.headers[.location] == "/news/tweed-rally")
            #expect(try await client.get("/search/?q=tweed").headers[.location] == "/search?q=tweed")
            #expect(try await client.get("/news/never-existed").status == .notFound)
        }
    }

    @Test func test_renamed_post_keeps_its_old_address_on_sqlite() async throws { try await renamedPostKeepsItsOldAddress(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_renamed_post_keeps_its_old_address_on_postgres() async throws { try await renamedPostKeepsItsOldAddress(.postgres) }

    // MARK: Feeds and sitemap

    @Test func test_feed_is_valid_rss_with_absolute_links() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addPosts(25, to: site, categories: ["Press Releases"])
        try await site.run { client async throws in
            let response = try await client.get("/feed")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/rss+xml; charset=utf-8")
            let rss = try #require(XMLElementNode.parse(Data(buffer: response.body)))
            #expect(rss.name == "rss")
            #expect(rss.attributes["version"] == "2.0")
            let channel = try #require(rss.child("channel"))
            #expect(channel.child("title")?.text == "NYC Coalition for Educational Justice")
            #expect(channel.child("link")?.text == "https://commons.test/")
            #expect(channel.child("description")?.text.isEmpty == false)
            let items = channel.all("item")
            #expect(items.count == 20)
            for item in items {
                for element in ["title", "link", "guid", "pubDate", "description"] {
                    #expect(item.child(element) != nil, "item lacks \(element)")
                }
                #expect(item.child("link")?.text.hasPrefix("https://commons.test/news/") == true)
                // RFC 822, as RSS 2.0 requires.
                let date = try #require(item.child("pubDate")?.text)
                #expect(
                    date.range(of: #"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$"#, options: .regularExpression) != nil,
                    "\(date)"
                )
            }
            #expect(items.first?.child("title")?.text == "Update number 1")

            // The category feed holds only its own posts.
            let category = try await client.get("/category/press-releases/feed")
            let categoryChannel = try #require(XMLElementNode.parse(Data(buffer: category.body))?.child("channel"))
            #expect(categoryChannel.all("item").count == 20)
            #expect(categoryChannel.all("item").allSatisfy { $0.child("category")?.text == "Press Releases" })
            #expect(try await client.get("/category/nothing/feed").status == .notFound)

            // Every page names the feed in its head.
            #expect(try await client.get("/").text.contains("<link rel=\"alternate\" type=\"application/rss+xml\""))
        }
    }

    /// A control character pasted into a title or summary (XML cannot hold it) is left out of
    /// the feed, which stays a readable XML document; the page itself keeps working.
    @Test func test_a_control_character_in_a_title_does_not_break_the_feed() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { _ in }  // loads the demo content
        try await site.withStore { store async throws in
            _ = try await Newsroom(database: store.database, clock: .system).create(
                PostDraft(title: "Bell\u{7} and form feed\u{C}", summary: "Null\u{1} here", body: "Text.", status: .published)
            )
        }
        try await site.run { client async throws in
            let feed = try await client.get("/feed")
            let rss = try #require(XMLElementNode.parse(Data(buffer: feed.body)))
            #expect(rss.child("channel")?.all("item").first?.child("title")?.text == "Bell and form feed")
        }
    }

    @Test func test_feed_item_links_inside_the_text_are_absolute() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let text = try await client.get("/feed").text
            let description = try #require(XMLElementNode.parse(Data(text.utf8))?.child("channel")?.child("item")?.child("description")?.text)
            #expect(description.contains("href=\"https://commons.test/documents/12-8-16-cej-press-release\""))
        }
    }

    @Test func test_sitemap_lists_every_public_address_and_robots_names_it() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { _ in }  // loads the demo content
        // Three posts that are not public: a draft, one scheduled for next year, one deleted.
        let hidden = try await site.withStore { store async throws -> [String] in
            try await store.migrate(AllMigrations.list)
            let newsroom = Newsroom(database: store.database, clock: .system)
            let draft = try await newsroom.create(PostDraft(title: "Not yet written", body: "Draft.", status: .draft))
            let scheduled = try await newsroom.create(
                PostDraft(title: "Next year", body: "Soon.", status: .scheduled, publishAt: Date().addingTimeInterval(365 * 86_400))
            )
            let deleted = try await newsroom.create(PostDraft(title: "Taken down", body: "Gone.", status: .published))
            try await newsroom.delete(deleted.requireID())
            return [draft.slug, scheduled.slug, deleted.slug]
        }
        try await site.run { client async throws in
            // The index names one sitemap per language, each an absolute address with a W3C date.
            let response = try await client.get("/sitemap.xml")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/xml; charset=utf-8")
            let index = try #require(XMLElementNode.parse(Data(buffer: response.body)))
            #expect(index.name == "sitemapindex")
            let files = index.all("sitemap").compactMap { $0.child("loc")?.text }
            #expect(files.count == Language.known.count)
            #expect(files.contains("https://commons.test/sitemap-en.xml") && files.contains("https://commons.test/sitemap-es.xml"))
            for sitemap in index.all("sitemap") {
                let lastmod = try #require(sitemap.child("lastmod")?.text)
                #expect(ISO8601DateFormatter().date(from: lastmod) != nil, "\(lastmod)")
            }
            var counts: Set<Int> = []
            for file in files {
                let part = try await client.get(String(file.dropFirst("https://commons.test".count)))
                #expect(part.status == .ok, "\(file)")
                let urlset = try #require(XMLElementNode.parse(Data(buffer: part.body)), "\(file)")
                #expect(urlset.name == "urlset")
                let locations = urlset.all("url").compactMap { $0.child("loc")?.text }
                #expect(locations.count <= Sitemap.maximumURLs && locations.allSatisfy { $0.hasPrefix("https://commons.test/") })
                #expect(Set(locations).count == locations.count)
                counts.insert(locations.count)
            }
            #expect(counts.count == 1, "every language lists the same pages")
            let english = try await client.get("/sitemap-en.xml")
            let urlset = try #require(XMLElementNode.parse(Data(buffer: english.body)))
            let locations = Set(urlset.all("url").compactMap { $0.child("loc")?.text })
            for path in [
                "/", "/news", "/documents", "/mission", "/platform", "/news/cej-calls-for-sanctuary-schools",
                "/documents/confronting-bias-and-protecting-our-communities", "/documents/12-8-16-cej-press-release", "/campaigns/sanctuary-schools",
            ] {
                #expect(locations.contains("https://commons.test\(path)"), "\(path)")
            }
            for slug in hidden { #expect(!locations.contains("https://commons.test/news/\(slug)"), "\(slug)") }
            let post = urlset.all("url").first { $0.child("loc")?.text.hasSuffix("/news/cej-calls-for-sanctuary-schools") == true }
            #expect(post?.child("lastmod")?.text.isEmpty == false)
            for missing in ["/sitemap-xx.xml", "/sitemap-es-2.xml", "/sitemap-es-02.xml", "/sitemap-es.txt", "/sitemap-.xml"] {
                #expect(try await client.get(missing).status == .notFound, "\(missing)")
            }

            let robots = try await client.get("/robots.txt")
            #expect(robots.text.contains("Sitemap: https://commons.test/sitemap.xml"))
            #expect(robots.text.contains("Disallow: /admin"))
        }
    }

    // MARK: Search

    func searchRanksAndHighlights(_ backend: TestDatabase.Backend) async throws {
        let site = try await TestSite.make(backend)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let newsroom = Newsroom(database: store.database, clock: .system)
            try await newsroom.create(
                PostDraft(
                    title: "Parents testify on the budget",
                    body: "Class size and counselors came up; the word appears once: libraries.",
                    status: .published
                )
            )
            try await newsroom.create(
                PostDraft(title: "Libraries for every school", body: "School libraries matter. Libraries need librarians.", status: .published)
            )
            try await newsroom.create(PostDraft(title: "Draft about libraries", body: "Not yet public: libraries.", status: .draft))
            try await newsroom.create(
                PostDraft(title: "Future libraries forum", body: "Libraries.", status: .scheduled, publishAt: Date(timeIntervalSinceNow: 86400))
            )
        }
        try await site.run { client async throws in
            let response = try await client.get("/search?q=libraries")
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "private, no-store")
            let html = response.text
            let titleHit = try #require(html.range(of: "<mark>Libraries</mark> for every school"))
            let bodyHit = try #require(html.range(of: "Parents testify on the budget"))
            #expect(titleHit.lowerBound < bodyHit.lowerBound, "a title match ranks first")
            #expect(html.contains("<mark>libraries</mark>"))
            #expect(!html.contains("Draft about libraries"))
            #expect(!html.contains("Future libraries forum"))

            // Several words, typed as a form sends them.
            let two = try await client.get("/search?q=sanctuary+schools")
            #expect(two.text.contains("Search results for “sanctuary schools”"))
            #expect(two.text.contains("<a href=\"/news/cej-calls-for-sanctuary-schools\">"))

            // Search syntax typed by a reader is plain text, never an error.
            for query in ["%22libraries", "libraries%20AND%20OR%20NOT", "(libraries*", "NEAR(a%20b)", "%3Cscript%3E"] {
                let odd = try await client.get("/search?q=\(query)")
                #expect(odd.status == .ok, "\(query)")
                #expect(!odd.text.contains("<script>"))
            }
        }
    }

    @Test func test_search_ranks_titles_first_and_highlights_on_sqlite() async throws { try await searchRanksAndHighlights(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_search_ranks_titles_first_and_highlights_on_postgres() async throws { try await searchRanksAndHighlights(.postgres) }

    /// Words touching typographic quotes (“Sanctuary Schools”) are found whatever the database's locale.
    func searchIgnoresPunctuation(_ backend: TestDatabase.Backend) async throws {
        let site = try await TestSite.make(backend)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            try await Newsroom(database: store.database, clock: .system).create(
                PostDraft(title: "“Quoted” — «Títulos»", body: "Parents said “enough”… ¿Por qué?", status: .published)
            )
        }
        try await site.run { client async throws in
            for word in ["sanctuary", "quoted", "títulos", "enough", "qué"] {
                let html = try await client.get("/search?q=\(word.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)").text
                #expect(html.contains("<ol class=\"search-results\">"), "\(word) on \(backend)")
            }
        }
    }

    @Test func test_search_ignores_punctuation_on_sqlite() async throws { try await searchIgnoresPunctuation(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_search_ignores_punctuation_on_postgres_in_the_c_locale() async throws { try await searchIgnoresPunctuation(.postgresCLocale) }

    @Test func test_search_without_words_shows_the_form_and_refuses_long_queries() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let blank = try await client.get("/search?q=")
            #expect(blank.status == .ok)
            #expect(blank.text.contains("<input id=\"search-q\" name=\"q\" type=\"search\""))
            #expect(blank.text.contains("Type words to look for"))
            #expect(!blank.text.contains("search-results"))

            let long = try await client.get("/search?q=" + String(repeating: "a", count: 201))
            #expect(long.status == .unprocessableContent)
            #expect(long.text.contains("Keep your search to 200 characters or fewer."))
            #expect(long.text.contains("aria-invalid=\"true\""))
            #expect(try await client.get("/search?q=" + String(repeating: "a", count: 200)).status == .ok)
        }
    }

    @Test func test_search_pages_through_many_results() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addPosts(12, to: site, titled: { "Hearing number \($0)" })
        try await site.run { client async throws in
            let first = try await client.get("/search?q=hearing")
            #expect(first.text.components(separatedBy: "<mark>Hearing</mark>").count - 1 == 10)
            #expect(first.text.contains("href=\"/search?q=hearing&amp;page=2\""))
            let second = try await client.get("/search?q=hearing&page=2")
            #expect(second.text.components(separatedBy: "<mark>Hearing</mark>").count - 1 == 2)
        }
    }

    @Test func test_search_finds_public_posts_ranked_below_many_drafts() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let newsroom = Newsroom(database: store.database, clock: .system)
            // 80 drafts rank first (the word in their titles), more than the first window of candidates.
            for number in 1...80 {
                try await newsroom.create(PostDraft(title: "Zoning draft \(number)", body: "Not public.", status: .draft))
            }
            for number in 1...12 {
                try await newsroom.create(PostDraft(title: "Public post \(number)", body: "About zoning, once.", status: .published))
            }
        }
        try await site.run { client async throws in
            let first = try await client.get("/search?q=zoning").text
            #expect(!first.contains("Zoning draft"))
            #expect(first.components(separatedBy: "<mark>zoning</mark>").count - 1 == 10)
            let second = try await client.get("/search?q=zoning&page=2").text
            #expect(second.components(separatedBy: "<mark>zoning</mark>").count - 1 == 2)
            let titles = (first + second).matches(of: /Public post (\d+)/).map { String($0.output.1) }
            #expect(Set(titles).count == 12, "each public post once across the two pages")
        }
    }

    // MARK: Removal, revisions, documents

    @Test func test_deleted_post_and_document_answer_410() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let post = try #require(try await Post.query(on: store.database).first())
            try await Newsroom(database: store.database, clock: .system).delete(post.requireID())
            let document = try #require(try await Document.query(on: store.database).filter(\.$slug == "12-8-16-cej-press-release").first())
            try await DocumentLibrary(database: store.database, clock: .system).delete(document.requireID())
        }
        try await site.run { client async throws in
            let post = try await client.get("/news/cej-calls-for-sanctuary-schools")
            #expect(post.status == .gone)
            #expect(post.text.contains("This page was removed"))
            #expect(try await client.get("/documents/12-8-16-cej-press-release").status == .gone)
            #expect(try await client.get("/documents/12-8-16-cej-press-release/file").status == .gone)
            #expect(!(try await client.get("/search?q=sanctuary").text.contains("cej-calls-for-sanctuary-schools")))
            #expect(!(try await client.get("/").text.contains("CEJ Calls For")))
        }
    }

    @Test func test_every_save_keeps_a_revision_that_can_be_restored() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        try await site.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            let newsroom = Newsroom(database: store.database, clock: .system)
            let post = try await newsroom.create(PostDraft(title: "First title", body: "First text.", status: .published))
            let id = try post.requireID()
            try await newsroom.update(id, with: PostDraft(title: "Second title", slug: "first-title", body: "Second text.", status: .published))
            try await newsroom.update(id, with: PostDraft(title: "Third title", slug: "first-title", body: "Third text.", status: .published))
            let revisions = try await newsroom.revisions(of: id)
            #expect(revisions.map(\.title) == ["Second title", "First title"])
            let restored = try await newsroom.restore(revision: try #require(revisions.last?.id))
            #expect(restored.title == "First title")
            #expect(restored.body == "First text.")
            #expect(try await newsroom.revisions(of: id).count == 3)
        }
    }

    @Test func test_post_with_an_image_without_alt_text_is_refused() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        try await site.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            let newsroom = Newsroom(database: store.database, clock: .system)
            await #expect(throws: ValidationErrors(field: "body", message: "error.image_alt_missing")) {
                try await newsroom.create(PostDraft(title: "Photos", body: "![](/a.png)", status: .published))
            }
            #expect(try await Post.query(on: store.database).count() == 0)
        }
    }

    @Test func test_document_library_refuses_files_by_their_bytes_and_size() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        try await site.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            let library = DocumentLibrary(database: store.database, clock: .system)
            await #expect(throws: ValidationErrors(field: "file", message: "error.file_type_not_allowed")) {
                try await library.add(
                    DocumentUpload(title: "Flyer", fileName: "flyer.pdf", bytes: Data("<html><script>alert(1)</script></html>".utf8))
                )
            }
            var tooBig = Data("%PDF-1.4\n".utf8)
            tooBig.append(Data(count: DocumentLibrary.maximumBytes))
            await #expect(throws: ValidationErrors(field: "file", message: "error.file_too_large")) {
                try await library.add(DocumentUpload(title: "Huge", fileName: "huge.pdf", bytes: tooBig))
            }
            #expect(try await Document.query(on: store.database).count() == 0)
            #expect(try await StoredFile.query(on: store.database).count() == 0)

            // A picture that does not decode is refused: pages could not show it.
            let fakePNG = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
            await #expect(throws: ValidationErrors(field: "file", message: "error.image_unreadable")) {
                try await library.add(DocumentUpload(title: "Broken", fileName: "broken.png", bytes: fakePNG))
            }
            #expect(try await StoredFile.query(on: store.database).count() == 0)

            // The same bytes twice are stored once, with one set of resized copies.
            let png = try LookAndFeelTests.fixture("small.png")
            let first = try await library.add(DocumentUpload(title: "Logo", fileName: "../../etc/logo.png", bytes: png))
            try await library.add(DocumentUpload(title: "Logo again", fileName: "logo.png", bytes: png))
            #expect(try await StoredFile.query(on: store.database).count() == 1)
            #expect(try await ImageVariant.query(on: store.database).count() == 2)
            #expect(first.fileName == "logo.png")
            #expect(first.contentType == "image/png")
        }
    }

    @Test func test_document_page_lists_the_posts_that_link_to_it() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let html = try await client.get("/documents/confronting-bias-and-protecting-our-communities").text
            #expect(html.contains("Posts that link to this document"))
            #expect(html.contains("<a href=\"/news/cej-calls-for-sanctuary-schools\">CEJ Calls For “Sanctuary Schools”</a>"))
        }
    }

    @Test func test_a_page_may_not_take_an_address_the_site_uses() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        try await site.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            let pages = Pages(database: store.database, clock: .system)
            for slug in ["news", "search", "admin", "es"] {
                await #expect(throws: ValidationErrors(field: "slug", message: "error.slug_reserved")) {
                    try await pages.create(PageDraft(title: "Clash", slug: slug, body: "x"))
                }
            }
        }
    }

    @Test func test_every_page_has_title_description_canonical_and_social_tags() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            for path in [
                "/", "/news", "/news/cej-calls-for-sanctuary-schools", "/documents", "/documents/12-8-16-cej-press-release", "/platform",
                "/campaigns/sanctuary-schools", "/category/news", "/tag/sanctuary-schools", "/search",
            ] {
                let html = try await client.get(path).text
                #expect(html.contains("<title>"), "\(path)")
                #expect(html.contains("<meta name=\"description\" content=\""), "\(path)")
                #expect(html.contains("<link rel=\"canonical\" href=\"https://commons.test\(path)\">"), "\(path)")
                #expect(html.contains("<meta property=\"og:title\""), "\(path)")
                #expect(html.contains("<meta name=\"twitter:card\" content=\"summary\">"), "\(path)")
            }
        }
    }

    @Test func test_not_found_page_offers_a_search_box() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let html = try await client.get("/no-such-thing").text
            #expect(html.contains("<form class=\"search-form\" role=\"search\" action=\"/search\" method=\"get\">"))
        }
    }

    @Test func test_featured_image_shows_on_the_post_and_in_link_previews() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let library = DocumentLibrary(database: store.database, clock: .system)
            let png = try LookAndFeelTests.fixture("small.png")
            let image = try await library.add(
                DocumentUpload(title: "Rally photo", description: "Parents with signs outside Tweed Courthouse", fileName: "rally.png", bytes: png)
            )
            let newsroom = Newsroom(database: store.database, clock: .system)
            try await newsroom.create(
                PostDraft(title: "Rally report", body: "We were many.", status: .published, featuredDocumentID: image.requireID())
            )
            let pdf = try #require(try await Document.query(on: store.database).filter(\.$slug == "12-8-16-cej-press-release").first())
            await #expect(throws: ValidationErrors(field: "featured_document", message: "error.featured_image_invalid")) {
                try await newsroom.create(PostDraft(title: "Not an image", body: "x", status: .published, featuredDocumentID: pdf.requireID()))
            }
        }
        try await site.run { client async throws in
            let html = try await client.get("/news/rally-report").text
            let copy = "/images/\(LookAndFeelTests.sha256(try LookAndFeelTests.fixture("small.png")))-300"
            #expect(html.contains("<img src=\"\(copy).jpg\" srcset=\"\(copy).jpg 300w\""))
            #expect(html.contains("alt=\"Parents with signs outside Tweed Courthouse\""))
            #expect(html.contains("<meta property=\"og:image\" content=\"https://commons.test\(copy).jpg\">"))
        }
    }
}

@Suite("Sitemap files")
struct SitemapFileTests {
    @Test func test_sitemap_dates_are_written_as_foundation_writes_them() {
        var dates = [
            0, 1, 59, 951_782_400, 1_733_500_944.75, 4_102_444_800, 253_402_300_799, 253_402_300_800, -86_400, -12_212_553_600, -12_212_553_601,
            -62_167_219_200,
        ]
        .map { Date(timeIntervalSince1970: $0) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            dates.append(Date(timeIntervalSince1970: Double(Int64.random(in: -62_167_219_200..<253_402_300_800, using: &generator))))
        }
        for date in dates { #expect(Sitemap.w3cDate(date) == date.formatted(.iso8601), "\(date.timeIntervalSince1970)") }
        #expect(Sitemap.w3cDate(nil) == nil)
    }

    @Test func test_a_language_past_2000_addresses_takes_more_files_and_only_real_names_are_files() {
        #expect(Sitemap.urlsPerFile <= Sitemap.maximumURLs)
        #expect(Sitemap.parts(0) == 1 && Sitemap.parts(2_000) == 1 && Sitemap.parts(2_001) == 2 && Sitemap.parts(6_000) == 3)
        let languages = Language.known
        let spanish = Language.known(code: "es")!
        #expect(Sitemap.path(spanish, part: 1) == "/sitemap-es.xml" && Sitemap.path(spanish, part: 2) == "/sitemap-es-2.xml")
        #expect(Sitemap.file("es.xml", languages: languages).map { $0.0.code + "\($0.1)" } == "es1")
        #expect(Sitemap.file("es-2.xml", languages: languages).map { $0.0.code + "\($0.1)" } == "es2")
        for bad in ["es-1.xml", "es-02.xml", "es-x.xml", "es-2-3.xml", "xx.xml", "es.xml.gz", "es", "-2.xml", "es-99999.xml", "es-٢.xml"] {
            #expect(Sitemap.file(bad, languages: languages) == nil, "\(bad)")
        }
    }
}
