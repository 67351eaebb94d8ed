import CommonsContent
import Foundation

/// `/news/SLUG`: one post with its byline, date, categories, tags, documents and neighbours.
struct PostShow {
    struct Link {
        let label: String
        let url: String
    }

    struct DocumentLink {
        let title: String
        let url: String
        let details: String
    }

    let layout: Layout
    let title: String
    let contentLang: String?
    let untranslatedNote: String?
    let dateISO: String
    let dateText: String
    let byline: String?
    let bodyHTML: String
    let image: ResponsiveImage?
    let categories: [Link]
    let tags: [Link]
    let documents: [DocumentLink]
    let older: Link?
    let newer: Link?
    // Stored, not computed: templates see only stored properties.
    let hasCategories: Bool
    let hasTags: Bool
    let hasDocuments: Bool
    let hasNeighbours: Bool

    init(_ query: Query, words: TranslatedText, image: ResponsiveImage?, layout: Layout, formatting: Formatting) {
        let post = query.post
        let language = formatting.language
        let strings = formatting.strings
        self.layout = layout
        title = words.title
        contentLang = words.contentLang
        untranslatedNote = words.untranslatedNote
        let date = post.publishAt ?? Date(timeIntervalSince1970: 0)
        dateISO = formatting.machineDate(date)
        dateText = formatting.date(date)
        byline = post.byline.isEmpty ? nil : strings.format("news.by", ["byline": post.byline])
        bodyHTML = words.bodyHTML
        self.image = image
        categories = post.categories.map { Link(label: $0.name, url: SitePath.category(in: language, $0.slug)) }
        tags = post.tags.map { Link(label: $0.name, url: SitePath.tag(in: language, $0.slug)) }
        documents = query.documents.map { document in
            let type = FileType(contentType: document.contentType)?.label ?? document.contentType
            return DocumentLink(
                title: document.title,
                url: SitePath.document(in: language, document.slug),
                details: "\(type), \(formatting.size(document.byteCount))"
            )
        }
        older = query.older.map { Link(label: $0.title, url: SitePath.post(in: language, $0.slug)) }
        hasCategories = !categories.isEmpty
        hasTags = !tags.isEmpty
        hasDocuments = !documents.isEmpty
        newer = query.newer.map { Link(label: $0.title, url: SitePath.post(in: language, $0.slug)) }
        hasNeighbours = older != nil || newer != nil
    }
}
