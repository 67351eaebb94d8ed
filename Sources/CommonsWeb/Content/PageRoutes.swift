import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The site's standing pages (`/SLUG`) and search.
struct PageRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.search) { request, context in try await search(request, context) }
        router.get(SitePath.page) { _, context in try await page(slug: context.parameters.require("slug"), context) }
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

    func page(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let page = try await site.pages.publicPage(slug: slug) else { throw SiteError.notFound }
        var words = try await site.translated(
            .page,
            id: page.id,
            title: page.title,
            summary: page.summary,
            bodyHTML: page.bodyHTML,
            bodyText: page.bodyText,
            language: context.language
        )
        let description = Site.withoutChartMarkers(words.summary.isEmpty ? words.bodyText : words.summary)
        words.bodyHTML = try await site.embeddingCharts(in: words.bodyHTML, language: context.language)
        let layout = try await site.layout(PageMeta(title: words.title, description: description, path: SitePath.page(slug)), context: context)
        return site.views.page(.pageShow, PageShow(words: words, layout: layout)).sharedCacheable()
    }
}
