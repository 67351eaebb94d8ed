import Foundation

/// How a post's or page's body is written: Markdown, as editors write in Commons, or HTML, as
/// it came from WordPress. HTML bodies pass through `HTMLSanitizer` when saved and again when
/// shown, so nothing outside its allowlist ever reaches a reader.
public enum BodyFormat: String, Codable, Sendable, CaseIterable {
    case markdown
    case html

    /// The body as HTML a page may print unescaped.
    public func html(_ body: String) -> String {
        switch self {
        case .markdown: MarkdownRenderer().html(from: body)
        case .html: HTMLSanitizer().sanitize(body).html
        }
    }

    /// The body's words alone, for search, summaries and feeds.
    public func plainText(_ body: String) -> String {
        switch self {
        case .markdown: MarkdownRenderer().plainText(from: body)
        case .html: HTMLSanitizer().sanitize(body).text
        }
    }
}

extension Post {
    public var bodyHTML: String { bodyFormat.html(body) }
    public var bodyText: String { bodyFormat.plainText(body) }
}

extension Page {
    public var bodyHTML: String { bodyFormat.html(body) }
    public var bodyText: String { bodyFormat.plainText(body) }
}
