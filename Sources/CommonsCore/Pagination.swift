/// Page numbers as visitors type them into addresses (`/news/page/3`, `?page=3`): whole
/// numbers from 1 to `maximumPage`, checked before any arithmetic, so a page number from a
/// request can never overflow an offset.
public enum Pagination {
    /// No list of the coalition's reaches this many pages; anything beyond is "not found".
    public static let maximumPage = 100_000

    /// The page a request asks for: ASCII digits only, 1 through `maximumPage`; nil otherwise.
    public static func page(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 6, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let page = Int(text),
            (1...maximumPage).contains(page)
        else { return nil }
        return page
    }

    public static func page(_ text: String) -> Int? { page(text[...]) }

    /// The first row of `page`, or nil when the page is out of range or the product would not fit.
    public static func offset(page: Int, perPage: Int) -> Int? {
        guard (1...maximumPage).contains(page), perPage > 0 else { return nil }
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: perPage)
        return overflow ? nil : offset
    }
}
