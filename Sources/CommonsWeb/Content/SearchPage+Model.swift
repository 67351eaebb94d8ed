import CommonsContent

/// `/search?q=`: the form, and what the published posts, pages and documents say about the words.
struct SearchPage {
    struct Result {
        let kindLabel: String
        /// Escaped text with `<mark>` around the matched words.
        let titleHTML: String
        let snippetHTML: String
        let url: String
    }

    let layout: Layout
    let heading: String
    let query: String
    /// No query yet: the form explains itself.
    let showPrompt: Bool
    let results: [Result]
    let hasResults: Bool
    /// Shown when a query was made and found nothing.
    let noResults: String?
    let error: String?
    let moreURL: String?
    let previousURL: String?
    let hasPages: Bool

    init(query: String, page: Int, found: [Found], hasMore: Bool, error: String?, layout: Layout, formatting: Formatting) {
        let strings = formatting.strings
        let language = formatting.language
        self.layout = layout
        self.query = query
        showPrompt = query.trimmingCharacters(in: .whitespaces).isEmpty
        self.error = error
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        heading = trimmed.isEmpty || error != nil ? strings["search.title"] : strings.format("search.results_for", ["query": trimmed])
        results = found.map { found in
            let kind: String =
                switch found.hit.kind {
                case .post: strings["search.kind_post"]
                case .page: strings["search.kind_page"]
                case .document: strings["search.kind_document"]
                }
            return Result(
                kindLabel: kind,
                titleHTML: Self.markedHTML(found.hit.markedTitle),
                snippetHTML: Self.markedHTML(found.hit.markedSnippet),
                url: SitePath.localized(found.path, in: language)
            )
        }
        hasResults = !results.isEmpty
        noResults = !trimmed.isEmpty && error == nil && results.isEmpty ? strings["search.no_results"] : nil
        moreURL = hasMore ? SitePath.localized(SitePath.search(trimmed, page: page + 1), in: language) : nil
        previousURL = page > 1 ? SitePath.localized(SitePath.search(trimmed, page: page - 1), in: language) : nil
        hasPages = moreURL != nil || previousURL != nil
    }

    /// Escapes the text, then turns the index's marks into `<mark>`: the only markup in the result.
    static func markedHTML(_ marked: String) -> String {
        HTMLText.escape(marked)
            .replacingOccurrences(of: SearchHit.markStart, with: "<mark>")
            .replacingOccurrences(of: SearchHit.markEnd, with: "</mark>")
    }
}
