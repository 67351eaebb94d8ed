import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The newsroom: the home page, the news with its category and tag lists, and each post.
struct NewsRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.home) { _, context in try await home(context) }
        router.get(SitePath.news) { _, context in try await news(.all, page: 1, context) }
        router.get(SitePath.newsPage) { _, context in try await news(.all, page: context.parameters.pageNumber(), context) }
        router.get(SitePath.category) { _, context in try await news(category(context), page: 1, context) }
        router.get(SitePath.categoryPage) { _, context in try await news(category(context), page: context.parameters.pageNumber(), context) }
        router.get(SitePath.tag) { _, context in try await news(tag(context), page: 1, context) }
        router.get(SitePath.tagPage) { _, context in try await news(tag(context), page: context.parameters.pageNumber(), context) }
        router.get(SitePath.post) { _, context in try await post(slug: context.parameters.require("slug"), context) }
    }

    func home(_ context: AppRequestContext) async throws -> Response {
        let query = try await HomePage.Query.run(site: site)
        let layout = try await site.layout(PageMeta(title: nil, description: nil, path: SitePath.home()), context: context)
        var translations = try await site.translations(of: query.posts, in: context.language)
        if context.language != .english {
            let found = Translations(database: site.database)
            let pages = [query.mission?.id, query.platform?.id].compactMap { $0 }
            translations.merge(try await found.translations(of: .page, ids: pages, language: context.language.code)) { first, _ in first }
            if let id = query.campaign?.id, let campaign = try await found.translation(of: .campaign, id: id, language: context.language.code) {
                translations[id] = campaign
            }
            if let id = query.nextEvent?.id, let event = try await found.translation(of: .event, id: id, language: context.language.code) {
                translations[id] = event
            }
        }
        var model = HomePage(
            query,
            translations: translations,
            images: try await site.featuredImageSizes(of: query.posts),
            layout: layout,
            formatting: site.formatting(context.language)
        )
        // A `[[chart:SLUG]]` in the mission or platform shows its chart here as on the page itself.
        if let html = model.mission?.html { model.mission?.html = try await site.embeddingCharts(in: html, language: context.language) }
        if let html = model.platform?.html { model.platform?.html = try await site.embeddingCharts(in: html, language: context.language) }
        return site.views.page(.home, model).sharedCacheable()
    }

    private func category(_ context: AppRequestContext) async throws -> NewsList.Source {
        guard let category = try await Taxonomy(database: site.database).category(slug: context.parameters.require("slug")) else {
            throw SiteError.notFound
        }
        return .category(category)
    }

    private func tag(_ context: AppRequestContext) async throws -> NewsList.Source {
        guard let tag = try await Taxonomy(database: site.database).tag(slug: context.parameters.require("slug")) else { throw SiteError.notFound }
        return .tag(tag)
    }

    /// A list of posts: the news, a category or a tag. Page 1 has no number in its address.
    func news(_ source: NewsList.Source, page: Int, _ context: AppRequestContext) async throws -> Response {
        if page == 1, context.parameters.get("page") != nil {
            return Response.redirect(to: SitePath.localized(source.path(1), in: context.language), type: .permanent)
        }
        guard let news = try await NewsList.Query.run(site: site, source: source, page: page) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        var heading: String
        var introduction: String?
        var feed: Feed?
        switch source {
        case .all:
            heading = strings["news.title"]
        case .category(let category):
            heading = strings.format("news.category_title", ["name": category.name])
            introduction = category.description.isEmpty ? nil : category.description
            feed = Feed(
                title: strings.format("news.category_feed", ["name": category.name]),
                url: context.link(SitePath.categoryFeed, category.slug)
            )
        case .tag(let tag):
            heading = strings.format("news.tag_title", ["name": tag.name])
        }
        let title = page == 1 ? heading : strings.format("news.numbered_page", ["title": heading, "page": String(page)])
        let meta = PageMeta(
            title: title,
            description: introduction,
            path: source.path(page),
            next: news.hasOlder ? source.path(page + 1) : nil,
            prev: news.hasNewer ? source.path(page - 1) : nil,
            feed: feed
        )
        let layout = try await site.layout(meta, context: context)
        let model = NewsList(
            news,
            translations: try await site.translations(of: news.posts, in: context.language),
            images: try await site.featuredImageSizes(of: news.posts),
            heading: title,
            introduction: introduction,
            pagePath: source.path,
            layout: layout,
            formatting: site.formatting(context.language)
        )
        return site.views.page(.newsList, model).sharedCacheable()
    }

    func post(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let query = try await PostShow.Query.run(site: site, slug: slug) else {
            throw try await site.newsroom.wasDeleted(slug: slug) ? SiteError.gone : SiteError.notFound
        }
        let post = query.post
        var words = try await site.translated(
            .post,
            id: post.id,
            title: post.title,
            summary: post.summary,
            bodyHTML: post.bodyHTML,
            bodyText: post.bodyText,
            language: context.language
        )
        let description = Site.withoutChartMarkers(words.summary.isEmpty ? words.bodyText : words.summary)
        words.bodyHTML = try await site.embeddingCharts(in: words.bodyHTML, language: context.language)
        let images = try await site.featuredImageSizes(of: [post])
        let image = post.featuredDocument.map { ResponsiveImage($0, copies: images[$0.sha256], slot: .article, lazy: false) }
        let meta = PageMeta(title: words.title, description: description, path: SitePath.post(slug), ogType: "article", image: image?.largest)
        let layout = try await site.layout(meta, context: context)
        let model = PostShow(query, words: words, image: image, layout: layout, formatting: site.formatting(context.language))
        return site.views.page(.postShow, model).sharedCacheable()
    }
}
