import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The public site's pages. Each handler parses the request, runs its page's query, and renders its model.
struct PublicRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.home) { _, context in try await home(context) }
        router.get(SitePath.news) { _, context in try await news(.all, page: 1, context) }
        router.get(SitePath.newsPage) { _, context in try await news(.all, page: pageNumber(context), context) }
        router.get(SitePath.category) { _, context in try await news(category(context), page: 1, context) }
        router.get(SitePath.categoryPage) { _, context in try await news(category(context), page: pageNumber(context), context) }
        router.get(SitePath.tag) { _, context in try await news(tag(context), page: 1, context) }
        router.get(SitePath.tagPage) { _, context in try await news(tag(context), page: pageNumber(context), context) }
        router.get(SitePath.search) { request, context in try await search(request, context) }
        router.get(SitePath.privacy) { _, context in try await privacy(context) }
        router.get(SitePath.post) { _, context in try await post(slug: context.parameters.require("slug"), context) }
        router.get(SitePath.documents) { _, context in try await documents(page: 1, context) }
        router.get(SitePath.documentsPage) { _, context in
            let page = try pageNumber(context)
            if page == 1 { return Response.redirect(to: SitePath.localized(SitePath.documents(), in: context.language), type: .permanent) }
            return try await documents(page: page, context)
        }
        router.get(SitePath.document) { _, context in try await document(slug: context.parameters.require("slug"), context) }
        router.get(SitePath.documentFile) { request, context in
            try await documentFile(slug: context.parameters.require("slug"), request: request)
        }
        router.get(SitePath.page) { _, context in try await page(slug: context.parameters.require("slug"), context) }
    }

    private func pageNumber(_ context: AppRequestContext) throws -> Int {
        guard let page = context.parameters.get("page").flatMap(Pagination.page) else { throw SiteError.notFound }
        return page
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
        }
        return site.views.page(.home, HomePage(query, translations: translations, layout: layout, formatting: site.formatting(context.language)))
            .sharedCacheable()
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
                url: SitePath.localized(SitePath.categoryFeed(category.slug), in: context.language)
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
            heading: title,
            introduction: introduction,
            pagePath: source.path,
            layout: layout,
            formatting: site.formatting(context.language)
        )
        return site.views.page(.newsList, model).sharedCacheable()
    }

    /// What Commons collects and why, who sees it, how long it stays, how to have it deleted:
    /// written in the catalogs, so it reads in every site language, with this site's own figures.
    func privacy(_ context: AppRequestContext) async throws -> Response {
        let strings = site.strings(context.language)
        let settings = try await site.siteSettings.all()
        let siteName = settings[.siteName] ?? "Commons"
        let contact = settings[.contactEmail].flatMap { $0.isEmpty ? nil : $0 }
        let values = [
            "site": siteName, "rsvp_days": String(site.settings.retention.rsvpDays), "months": String(site.settings.retention.supporterMonths),
            "contact": contact ?? strings["privacy.contact_fallback"],
        ]
        let sections = ["collect", "why", "who", "protect", "keep", "delete", "visitors"].map { key in
            PrivacyPage.Section(heading: strings["privacy.\(key)_heading"], text: strings.format("privacy.\(key)_text", values))
        }
        let layout = try await site.layout(
            PageMeta(title: strings["privacy.title"], description: strings.format("privacy.summary", values), path: SitePath.privacy()),
            context: context
        )
        let model = PrivacyPage(
            layout: layout,
            title: strings["privacy.title"],
            summary: strings.format("privacy.summary", values),
            sections: sections,
            contactURL: contact.map { "mailto:\($0)" }
        )
        return site.views.page(.privacy, model).sharedCacheable()
    }

    func search(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = request.formQueryValue("q") ?? ""
        let page = try request.pageQuery()
        let strings = site.strings(context.language)
        var found: [SearchPage.Found] = []
        var hasMore = false
        var error: String?
        var status = HTTPResponse.Status.ok
        do {
            (found, hasMore) = try await SearchPage.Query.run(site: site, query: query, page: page)
        } catch let problems as ValidationErrors {
            error = problems["q"].map { strings.format($0, ["limit": String(SearchIndex.maximumQueryLength)]) }
            status = .unprocessableContent
        }
        // A page past the last result is not found, as past the last page of news.
        if page > 1, found.isEmpty, error == nil { throw SiteError.notFound }
        let layout = try await site.layout(PageMeta(title: strings["search.title"], path: SitePath.search()), context: context)
        let model = SearchPage(
            query: query,
            page: page,
            found: found,
            hasMore: hasMore,
            error: error,
            layout: layout,
            formatting: site.formatting(context.language)
        )
        // Not shared-cacheable: the words someone looked for are theirs.
        return site.views.page(.search, model, status: status)
    }

    func post(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let query = try await PostShow.Query.run(site: site, slug: slug) else {
            throw try await site.newsroom.wasDeleted(slug: slug) ? SiteError.gone : SiteError.notFound
        }
        let post = query.post
        let words = try await site.translated(
            .post,
            id: post.id,
            title: post.title,
            summary: post.summary,
            bodyHTML: post.bodyHTML,
            bodyText: post.bodyText,
            language: context.language
        )
        let description = words.summary.isEmpty ? words.bodyText : words.summary
        let image = post.featuredDocument.map { SitePath.documentFile($0.slug) }
        let meta = PageMeta(title: words.title, description: description, path: SitePath.post(slug), ogType: "article", image: image)
        let layout = try await site.layout(meta, context: context)
        return site.views.page(.postShow, PostShow(query, words: words, layout: layout, formatting: site.formatting(context.language)))
            .sharedCacheable()
    }

    func documents(page: Int, _ context: AppRequestContext) async throws -> Response {
        guard let result = try await site.library.publicDocuments(page: page) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        let title = page == 1 ? strings["documents.title"] : strings.format("documents.page_title", ["page": String(page)])
        let layout = try await site.layout(PageMeta(title: title, path: SitePath.documents(page: page)), context: context)
        let model = DocumentList(
            documents: result.documents,
            page: result.page,
            pageCount: result.pageCount,
            layout: layout,
            formatting: site.formatting(context.language)
        )
        return site.views.page(.documentList, model).sharedCacheable()
    }

    func document(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let document = try await site.library.publicDocument(slug: slug) else {
            throw try await site.library.wasDeleted(slug: slug) ? SiteError.gone : SiteError.notFound
        }
        let words = try await site.translated(
            .document,
            id: document.id,
            title: document.title,
            summary: "",
            bodyHTML: HTMLText.escape(document.description),
            bodyText: document.description,
            language: context.language
        )
        let meta = PageMeta(title: words.title, description: words.bodyText, path: SitePath.document(slug))
        let layout = try await site.layout(meta, context: context)
        let linkingPosts = try await site.newsroom.publicPosts(linkingToDocument: slug)
        let model = DocumentShow(document, words: words, linkingPosts: linkingPosts, layout: layout, formatting: site.formatting(context.language))
        return site.views.page(.documentShow, model).sharedCacheable()
    }

    func documentFile(slug: String, request: Request) async throws -> Response {
        guard let document = try await site.library.publicDocument(slug: slug) else {
            throw try await site.library.wasDeleted(slug: slug) ? SiteError.gone : SiteError.notFound
        }
        let file = try await site.library.file(of: document)
        return FileResponse.make(for: request, bytes: file.bytes, document: document)
    }

    func page(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let page = try await site.pages.publicPage(slug: slug) else { throw SiteError.notFound }
        let words = try await site.translated(
            .page,
            id: page.id,
            title: page.title,
            summary: page.summary,
            bodyHTML: page.bodyHTML,
            bodyText: page.bodyText,
            language: context.language
        )
        let description = words.summary.isEmpty ? words.bodyText : words.summary
        let layout = try await site.layout(PageMeta(title: words.title, description: description, path: SitePath.page(slug)), context: context)
        return site.views.page(.pageShow, PageShow(words: words, layout: layout)).sharedCacheable()
    }
}
