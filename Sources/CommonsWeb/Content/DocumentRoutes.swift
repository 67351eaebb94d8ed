import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The document library: the list, each document's page, and its file.
struct DocumentRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.documents) { _, context in try await documents(page: 1, context) }
        router.get(SitePath.documentsPage) { _, context in
            let page = try context.parameters.pageNumber()
            if page == 1 { return Response.redirect(to: context.link(SitePath.documents), type: .permanent) }
            return try await documents(page: page, context)
        }
        router.get(SitePath.document) { _, context in try await document(slug: context.parameters.require("slug"), context) }
        router.get(SitePath.documentFile) { request, context in
            try await documentFile(slug: context.parameters.require("slug"), request: request)
        }
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
}
