import CommonsContent
import CommonsCore
import Foundation

/// An item's words as a page in the reader's language shows them: its translation when there
/// is one, else the original (English) with a note, in the reader's language, that it is not
/// translated yet, and `lang="en"` on the original's words.
struct TranslatedText {
    let title: String
    let summary: String
    /// Pages and posts put their charts in it (see `embeddingCharts`) after it is chosen.
    var bodyHTML: String
    let bodyText: String
    /// The `lang` of the item's words when they are not in the page's language.
    let contentLang: String?
    let untranslatedNote: String?

    /// The original, as an English page (or a page with no translation) shows it.
    init(title: String, summary: String, bodyHTML: String, bodyText: String, language: Language, strings: StringCatalog) {
        self.title = title
        self.summary = summary
        self.bodyHTML = bodyHTML
        self.bodyText = bodyText
        contentLang = language == .english ? nil : Language.english.tag
        untranslatedNote = language == .english ? nil : strings["content.not_translated"]
    }

    init(_ translation: ContentTranslation, original: (summary: String, bodyHTML: String, bodyText: String)) {
        title = translation.title
        // A translator may translate only the title and the text; the rest stays as written.
        summary = translation.summary
        bodyHTML = translation.body.isEmpty ? original.bodyHTML : translation.bodyHTML
        bodyText = translation.body.isEmpty ? original.bodyText : translation.bodyText
        contentLang = nil
        untranslatedNote = nil
    }
}

extension Site {
    /// The translations into `language` of the posts a list shows, by post id.
    func translations(of posts: [Post], in language: Language) async throws -> [UUID: ContentTranslation] {
        guard language != .english else { return [:] }
        return try await Translations(database: database).translations(of: .post, ids: posts.compactMap(\.id), language: language.code)
    }

    /// The words of an item whose text is a Markdown description (a campaign, an event), rendered when it was saved.
    func translated(
        _ subject: ContentTranslation.Subject,
        id: UUID?,
        title: String,
        descriptionHTML: String,
        language: Language
    ) async throws
        -> TranslatedText
    {
        try await translated(
            subject,
            id: id,
            title: title,
            summary: "",
            bodyHTML: descriptionHTML,
            bodyText: HTMLText.stripTags(descriptionHTML),
            language: language
        )
    }

    /// An item's words for a page in `language`.
    func translated(
        _ subject: ContentTranslation.Subject,
        id: UUID?,
        title: String,
        summary: String,
        bodyHTML: String,
        bodyText: String,
        language: Language
    ) async throws -> TranslatedText {
        if language != .english, let id,
            let translation = try await Translations(database: database).translation(of: subject, id: id, language: language.code)
        {
            return TranslatedText(translation, original: (summary, bodyHTML, bodyText))
        }
        return TranslatedText(title: title, summary: summary, bodyHTML: bodyHTML, bodyText: bodyText, language: language, strings: strings(language))
    }
}
