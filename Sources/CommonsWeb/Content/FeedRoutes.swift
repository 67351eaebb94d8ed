import CommonsContent
import Foundation
import Hummingbird

/// What machines read: RSS feeds, the sitemap and robots.txt, with absolute URLs from `COMMONS_BASE_URL`.
struct FeedRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.feed) { _, context in try await newsFeed(context) }
        router.get(SitePath.categoryFeed) { _, context in try await categoryFeed(slug: context.parameters.require("slug"), context) }
        router.get(SitePath.sitemap) { _, _ in try await sitemap() }
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

    func sitemap() async throws -> Response {
        var entries = [
            Sitemap.Entry(loc: baseURL + SitePath.home(), lastmod: nil),
            Sitemap.Entry(loc: baseURL + SitePath.news(), lastmod: nil),
            Sitemap.Entry(loc: baseURL + SitePath.documents(), lastmod: nil),
            Sitemap.Entry(loc: baseURL + SitePath.privacy(), lastmod: nil),
        ]
        for page in try await site.pages.allPublicPages() {
            entries.append(.init(loc: baseURL + SitePath.page(page.slug), lastmod: Sitemap.w3cDate(page.updatedAt ?? page.publishedAt)))
        }
        for post in try await site.newsroom.allPublicPosts() {
            entries.append(.init(loc: baseURL + SitePath.post(post.slug), lastmod: Sitemap.w3cDate(post.updatedAt ?? post.publishAt)))
        }
        for document in try await site.library.allPublicDocuments() {
            entries.append(
                .init(loc: baseURL + SitePath.document(document.slug), lastmod: Sitemap.w3cDate(document.updatedAt ?? document.publishedAt))
            )
        }
        entries.append(.init(loc: baseURL + SitePath.events(), lastmod: nil))
        for event in try await site.events.all() {
            entries.append(.init(loc: baseURL + SitePath.event(event.slug), lastmod: Sitemap.w3cDate(event.updatedAt)))
        }
        for campaign in try await site.campaigns.all() {
            entries.append(.init(loc: baseURL + SitePath.campaign(campaign.slug), lastmod: Sitemap.w3cDate(campaign.updatedAt)))
        }
        let localized = Sitemap.localized(entries, baseURL: baseURL, languages: site.languages)
        return site.views.document(.sitemap, Sitemap(entries: localized), contentType: "application/xml; charset=utf-8").sharedCacheable()
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
