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

/// Posts and pages keep their body rendered beside its source: the HTML is made when the body
/// or its format is set (by an editor, the importer, a restored revision), so a view only
/// prints stored HTML and never parses Markdown or HTML on a reader's request.
protocol RenderedBody: AnyObject {
    var bodyHTML: String { get set }
    var bodySource: (body: String, format: BodyFormat)? { get }
}

extension RenderedBody {
    func renderBody() {
        guard let (body, format) = bodySource else { return }
        bodyHTML = format.html(body)
    }
}

extension Post: RenderedBody {
    var bodySource: (body: String, format: BodyFormat)? { $body.value.map { ($0, $bodyFormat.value ?? .markdown) } }
    public var bodyText: String { HTMLText.stripTags(bodyHTML) }
}

extension Page: RenderedBody {
    var bodySource: (body: String, format: BodyFormat)? { $body.value.map { ($0, $bodyFormat.value ?? .markdown) } }
    public var bodyText: String { HTMLText.stripTags(bodyHTML) }
}
