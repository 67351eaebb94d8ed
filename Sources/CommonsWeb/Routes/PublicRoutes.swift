import CommonsContent
import Foundation
import Hummingbird

/// The public site's pages. Each handler parses the request, runs its page's query, and renders its model.
struct PublicRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.Pattern.home) { _, context in try await home(context) }
        router.get(SitePath.Pattern.news) { _, context in try await news(page: 1, context) }
        router.get(SitePath.Pattern.newsPage) { _, context in
            let page = try pageNumber(context)
            if page == 1 { return Response.redirect(to: SitePath.localized(SitePath.news, in: context.language), type: .permanent) }
            return try await news(page: page, context)
        }
        router.get(SitePath.Pattern.post) { _, context in try await post(slug: context.parameters.require("slug"), context) }
        router.get(SitePath.Pattern.documents) { _, context in try await documents(page: 1, context) }
        router.get(SitePath.Pattern.documentsPage) { _, context in
            let page = try pageNumber(context)
            if page == 1 { return Response.redirect(to: SitePath.localized(SitePath.documents, in: context.language), type: .permanent) }
            return try await documents(page: page, context)
        }
        router.get(SitePath.Pattern.document) { _, context in try await document(slug: context.parameters.require("slug"), context) }
        router.get(SitePath.Pattern.documentFile) { request, context in
            try await documentFile(slug: context.parameters.require("slug"), request: request)
        }
        router.get(SitePath.Pattern.campaign) { _, context in try await campaign(slug: context.parameters.require("slug"), context) }
        router.get(SitePath.Pattern.page) { _, context in try await page(slug: context.parameters.require("slug"), context) }
    }

    private func pageNumber(_ context: AppRequestContext) throws -> Int {
        guard let page = Int(context.parameters.get("page") ?? ""), page >= 1 else { throw SiteError.notFound }
        return page
    }

    func home(_ context: AppRequestContext) async throws -> Response {
        let query = try await HomePage.Query.run(site: site)
        let layout = try await site.layout(PageMeta(title: nil, description: nil, path: SitePath.home), language: context.language)
        return site.views.page("home", HomePage(query, layout: layout, formatting: site.formatting(context.language)))
    }

    func news(page: Int, _ context: AppRequestContext) async throws -> Response {
        guard let news = try await NewsList.Query.run(site: site, page: page) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        let title = page == 1 ? strings["news.title"] : strings.format("news.page_title", ["page": String(page)])
        let layout = try await site.layout(PageMeta(title: title, path: SitePath.news(page: page)), language: context.language)
        return site.views.page("news-list", NewsList(news, layout: layout, formatting: site.formatting(context.language)))
    }

    func post(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let query = try await PostShow.Query.run(site: site, slug: slug) else {
            throw try await site.newsroom.wasDeleted(slug: slug) ? SiteError.gone : SiteError.notFound
        }
        let description = query.post.summary.isEmpty ? MarkdownRenderer().plainText(from: query.post.body) : query.post.summary
        let meta = PageMeta(title: query.post.title, description: description, path: SitePath.post(slug), ogType: "article")
        let layout = try await site.layout(meta, language: context.language)
        return site.views.page("post-show", PostShow(query, layout: layout, formatting: site.formatting(context.language)))
    }

    func documents(page: Int, _ context: AppRequestContext) async throws -> Response {
        guard let result = try await site.library.publicDocuments(page: page) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        let title = page == 1 ? strings["documents.title"] : strings.format("documents.page_title", ["page": String(page)])
        let layout = try await site.layout(PageMeta(title: title, path: SitePath.documents(page: page)), language: context.language)
        let model = DocumentList(
            documents: result.documents,
            page: result.page,
            pageCount: result.pageCount,
            layout: layout,
            formatting: site.formatting(context.language)
        )
        return site.views.page("document-list", model)
    }

    func document(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let document = try await site.library.publicDocument(slug: slug) else {
            throw try await site.library.wasDeleted(slug: slug) ? SiteError.gone : SiteError.notFound
        }
        let meta = PageMeta(title: document.title, description: document.description, path: SitePath.document(slug))
        let layout = try await site.layout(meta, language: context.language)
        return site.views.page("document-show", DocumentShow(document, layout: layout, formatting: site.formatting(context.language)))
    }

    func documentFile(slug: String, request: Request) async throws -> Response {
        guard let document = try await site.library.publicDocument(slug: slug) else {
            throw try await site.library.wasDeleted(slug: slug) ? SiteError.gone : SiteError.notFound
        }
        let file = try await site.library.file(of: document)
        return FileResponse.make(for: request, bytes: file.bytes, document: document)
    }

    func campaign(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let campaign = try await site.campaigns.campaign(slug: slug) else { throw SiteError.notFound }
        let meta = PageMeta(
            title: campaign.title,
            description: MarkdownRenderer().plainText(from: campaign.description),
            path: SitePath.campaign(slug)
        )
        let layout = try await site.layout(meta, language: context.language)
        return site.views.page("campaign-show", CampaignShow(campaign, layout: layout, formatting: site.formatting(context.language)))
    }

    func page(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let page = try await site.pages.publicPage(slug: slug) else { throw SiteError.notFound }
        let description = page.summary.isEmpty ? MarkdownRenderer().plainText(from: page.body) : page.summary
        let layout = try await site.layout(
            PageMeta(title: page.title, description: description, path: SitePath.page(slug)),
            language: context.language
        )
        return site.views.page("page-show", PageShow(page, layout: layout))
    }
}
