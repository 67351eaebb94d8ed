import CommonsContent
import CommonsCore
import Foundation

/// A post as lists show it: title, date, and its summary or its text.
struct PostTeaser {
    let title: String
    let url: String
    let dateISO: String
    let dateText: String
    /// The editor's summary, as plain text; nil when the post has none.
    let summary: String?
    /// The post's whole body, sanitized HTML, when there is no summary and lists show the text.
    let bodyHTML: String?
    let readMoreLabel: String
    /// `lang="en"` on a post shown untranslated in a list of another language.
    let contentLang: String?
    /// The featured image, in a card's widths.
    let image: ResponsiveImage?

    /// - Parameters:
    ///   - images: the resized copies of the lists' pictures, by SHA-256 (`ImageLibrary.sizes`).
    ///   - position: the teaser's place in its list; the first two load at once, the rest lazily.
    init(
        _ post: Post,
        translation: ContentTranslation? = nil,
        formatting: Formatting,
        showBodyWithoutSummary: Bool,
        images: [String: [ImageLibrary.Size]] = [:],
        position: Int = 0
    ) {
        image = post.$featuredDocument.value.flatMap { $0 }.map {
            ResponsiveImage($0, copies: images[$0.sha256], slot: .card, lazy: position >= 2)
        }
        let words = translation.map { TranslatedText($0, original: (post.summary, post.bodyHTML, post.bodyText)) }
        title = words?.title ?? post.title
        contentLang = formatting.language == .english || words != nil ? nil : Language.english.tag
        url = SitePath.post(in: formatting.language, post.slug)
        let date = post.publishAt ?? post.createdAt ?? Date(timeIntervalSince1970: 0)
        dateISO = formatting.machineDate(date)
        dateText = formatting.date(date)
        readMoreLabel = formatting.strings.format("news.read_more", ["title": title])
        let postSummary = words?.summary ?? post.summary
        if !postSummary.isEmpty {
            summary = postSummary
            bodyHTML = nil
        } else if showBodyWithoutSummary {
            summary = nil
            bodyHTML = words?.bodyHTML ?? post.bodyHTML
        } else {
            summary = Site.shorten(words?.bodyText ?? post.bodyText, to: 280)
            bodyHTML = nil
        }
    }
}
