import CommonsContent
import Foundation

/// `/documents/SLUG`: what a document is, and the button to download it.
struct DocumentShow {
    let layout: Layout
    let title: String
    let contentLang: String?
    let untranslatedNote: String?
    let description: String?
    let typeLabel: String
    let sizeText: String
    let dateISO: String
    let dateText: String
    let fileURL: String
    let downloadLabel: String
    let linkingPosts: [PostTeaser]
    let hasLinkingPosts: Bool

    init(_ document: Document, words: TranslatedText, linkingPosts: [Post], layout: Layout, formatting: Formatting) {
        self.layout = layout
        title = words.title
        contentLang = words.contentLang
        untranslatedNote = words.untranslatedNote
        // A document's description is plain text, in the original and in translations.
        description = words.bodyText.isEmpty ? nil : words.bodyText
        typeLabel = FileType(contentType: document.contentType)?.label ?? document.contentType
        sizeText = formatting.size(document.byteCount)
        let date = document.publishedAt ?? document.createdAt ?? Date(timeIntervalSince1970: 0)
        dateISO = formatting.machineDate(date)
        dateText = formatting.date(date)
        fileURL = SitePath.documentFile(document.slug)
        downloadLabel = formatting.strings.format("documents.download_label", ["title": words.title, "type": typeLabel, "size": sizeText])
        self.linkingPosts = linkingPosts.map { PostTeaser($0, formatting: formatting, showBodyWithoutSummary: false) }
        hasLinkingPosts = !linkingPosts.isEmpty
    }
}

/// `/documents` and `/documents/page/N`: the library, newest first.
struct DocumentList {
    struct Item {
        let title: String
        let url: String
        let details: String
        let dateISO: String
        let dateText: String
    }

    let layout: Layout
    let heading: String
    let documents: [Item]
    let hasDocuments: Bool
    let olderURL: String?
    let newerURL: String?

    init(documents: [Document], page: Int, pageCount: Int, layout: Layout, formatting: Formatting) {
        let language = formatting.language
        self.layout = layout
        heading = page == 1 ? formatting.strings["documents.title"] : formatting.strings.format("documents.page_title", ["page": String(page)])
        self.documents = documents.map { document in
            let type = FileType(contentType: document.contentType)?.label ?? document.contentType
            let date = document.publishedAt ?? Date(timeIntervalSince1970: 0)
            return Item(
                title: document.title,
                url: SitePath.document(in: language, document.slug),
                details: "\(type), \(formatting.size(document.byteCount))",
                dateISO: formatting.machineDate(date),
                dateText: formatting.date(date)
            )
        }
        hasDocuments = !documents.isEmpty
        olderURL = page < pageCount ? SitePath.localized(SitePath.documents(page: page + 1), in: language) : nil
        newerURL = page > 1 ? SitePath.localized(SitePath.documents(page: page - 1), in: language) : nil
    }
}
