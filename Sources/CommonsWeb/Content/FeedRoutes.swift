import CommonsContent
import Foundation
import Hummingbird

/// What machines read: RSS feeds, the sitemap and robots.txt, with absolute URLs from `COMMONS_BASE_URL`.
struct FeedRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.feed) { _, context in try await newsFeed(context) }
        router.get(SitePath.categoryFeed) { _, context in try await categoryFeed(slug: context.parameters.require("slug"), context) }
        router.get(SitePath.sitemap) { _, _ in try await sitemapIndex() }
        router.get(SitePath.languageSitemap) { _, context in try await languageSitemap(context.parameters.get("file") ?? "") }
        router.get(SitePath.robots) { _, _ in robots() }
    }

    var baseURL: String { site.settings.baseURL }

    func newsFeed(_ context: AppRequestContext) async throws -> Response {
        let settings = try await site.siteSettings.all()
        let siteName = settings[.siteName] ?? "Commons"
        let posts = try await site.newsroom.latestPublicPosts(limit: RSSFeed.itemCount)
        let feed = RSSFeed(
            title: siteName,
            link: baseURL + context.link(SitePath.home),
            selfURL: baseURL + context.link(SitePath.feed),
            description: settings[.tagline] ?? siteName,
            language: context.language,
            posts: posts,
            baseURL: baseURL
        )
        return site.views.document(.rss, feed, contentType: "application/rss+xml; charset=utf-8").sharedCacheable()
    }

    func categoryFeed(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let category = try await Taxonomy(database: site.database).category(slug: slug) else { throw SiteError.notFound }
        let siteName = try await site.siteSettings.value(.siteName) ?? "Commons"
        let posts = try await site.newsroom.latestPublicPosts(inCategory: category, limit: RSSFeed.itemCount)
        // As its archive: a category no public post is in is not shown by name.
        if posts.isEmpty { throw SiteError.notFound }
        let feed = RSSFeed(
            title: "\(siteName): \(category.name)",
            link: baseURL + context.link(SitePath.category, slug),
            selfURL: baseURL + context.link(SitePath.categoryFeed, slug),
            description: category.description.isEmpty ? category.name : category.description,
            language: context.language,
            posts: posts,
            baseURL: baseURL
        )
        return site.views.document(.rss, feed, contentType: "application/rss+xml; charset=utf-8").sharedCacheable()
    }

    /// `/sitemap.xml`: a sitemap index naming one sitemap per served language (more than one
    /// when a language has over 2,000 addresses), each with the newest change it holds.
    func sitemapIndex() async throws -> Response {
        let entries = try await sitemapEntries()
        let newest = Sitemap.w3cDate(entries.compactMap(\.date).max())
        let parts = Sitemap.parts(entries.count)
        let sitemaps = site.languages.flatMap { language in
            (1...parts).map { Sitemap.IndexEntry(loc: baseURL + Sitemap.path(language, part: $0), lastmod: newest) }
        }
        return Self.xmlResponse(Sitemap.Index(sitemaps: sitemaps).xml)
    }

    /// `/sitemap-es.xml` (and `/sitemap-es-2.xml`, … past 50,000): every public address in one
    /// language, each naming the same page in every other.
    func languageSitemap(_ file: String) async throws -> Response {
        guard let (language, part) = Sitemap.file(file, languages: site.languages) else { throw HTTPError(.notFound) }
        let entries = try await sitemapEntries()
        guard part <= Sitemap.parts(entries.count) else { throw HTTPError(.notFound) }
        let slice = entries.dropFirst((part - 1) * Sitemap.urlsPerFile).prefix(Sitemap.urlsPerFile)
        let localized = Sitemap.localized(Array(slice), in: language, baseURL: baseURL, languages: site.languages)
        return Self.xmlResponse(Sitemap(entries: localized).xml)
    }

    /// Every public address, in the site's own language, with its last change.
    func sitemapEntries() async throws -> [Sitemap.Entry] {
        var entries = [
            Sitemap.Entry(loc: baseURL + SitePath.home(), date: nil),
            Sitemap.Entry(loc: baseURL + SitePath.news(), date: nil),
            Sitemap.Entry(loc: baseURL + SitePath.documents(), date: nil),
            Sitemap.Entry(loc: baseURL + SitePath.privacy(), date: nil),
        ]
        for page in try await site.pages.allPublicPages() {
            entries.append(.init(loc: baseURL + SitePath.page(page.slug), date: page.updatedAt ?? page.publishedAt))
        }
        for post in try await site.newsroom.publicPostDates() {
            entries.append(.init(loc: baseURL + SitePath.post(post.slug), date: post.date))
        }
        for document in try await site.library.allPublicDocuments() {
            entries.append(.init(loc: baseURL + SitePath.document(document.slug), date: document.updatedAt ?? document.publishedAt))
        }
        entries.append(.init(loc: baseURL + SitePath.datasets(), date: nil))
        for dataset in try await site.data.all() {
            entries.append(.init(loc: baseURL + SitePath.dataset(dataset.slug), date: dataset.updatedAt))
        }
        entries.append(.init(loc: baseURL + SitePath.events(), date: nil))
        for event in try await site.events.all() {
            entries.append(.init(loc: baseURL + SitePath.event(event.slug), date: event.updatedAt))
        }
        for campaign in try await site.campaigns.all() {
            entries.append(.init(loc: baseURL + SitePath.campaign(campaign.slug), date: campaign.updatedAt))
        }
        entries.append(.init(loc: baseURL + SitePath.coalition(), date: nil))
        for member in try await site.coalition.all() {
            entries.append(.init(loc: baseURL + SitePath.member(member.slug), date: member.updatedAt))
        }
        return entries
    }

    static func xmlResponse(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
            .sharedCacheable()
    }

    func robots() -> Response {
        let text =
            "User-agent: *\nDisallow: /admin\nDisallow: /api\nDisallow: /search\nDisallow: /language/\n\nSitemap: \(baseURL)\(SitePath.sitemap())\n"
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        ).sharedCacheable()
    }
}
