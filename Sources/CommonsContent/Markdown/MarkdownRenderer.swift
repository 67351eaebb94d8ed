import CCmarkGFM
import Foundation

/// Turns an editor's Markdown into HTML that is safe to place in a page as it is.
///
/// The parser is cmark-gfm (GitHub's CommonMark implementation: linear in its input, fuzzed
/// upstream and here), with tables, strikethrough and autolinks. Before rendering, the tree is
/// walked once: raw HTML becomes visible text, links keep only `http`, `https`, `mailto`, `tel`
/// and relative targets (others become their plain text), images only `http(s)` and relative
/// sources (others become their alt text), code blocks only a plain language name, and then
/// headings gain ids. cmark's own safe mode stays on as a second wall.
public struct MarkdownRenderer: Sendable {
    public init() {}

    public func html(from markdown: String) -> String {
        let document = MarkdownDocument(markdown)
        document.sanitize()
        return document.html()
    }

    /// What an editor must fix before the Markdown can be saved, as string-catalog keys:
    /// today, an image without alt text (`error.image_alt_missing`).
    public func problems(in markdown: String) -> [String] {
        let document = MarkdownDocument(markdown)
        let missingAlt = document.nodes(of: CMARK_NODE_IMAGE).contains { MarkdownDocument.text(of: $0).allSatisfy(\.isWhitespace) }
        return missingAlt ? ["error.image_alt_missing"] : []
    }

    /// The text of the Markdown without any markup, for summaries, search and feeds.
    public func plainText(from markdown: String) -> String {
        HTMLText.stripTags(html(from: markdown))
    }
}

/// One parsed Markdown text: cmark's tree, freed with this value.
final class MarkdownDocument {
    /// The extensions are registered once per process, before the first parser is made.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()
    private static let extensionNames = ["table", "strikethrough", "autolink"]

    private let parser: OpaquePointer
    let root: OpaquePointer

    init(_ markdown: String) {
        _ = Self.registered
        let parser = cmark_parser_new(CMARK_OPT_VALIDATE_UTF8)!
        for name in Self.extensionNames {
            if let syntax = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, syntax) }
        }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        self.parser = parser
        root = cmark_parser_finish(parser)
    }

    deinit {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }

    /// Every node of the tree in document order (parents before their children).
    func allNodes() -> [OpaquePointer] {
        var nodes: [OpaquePointer] = []
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) { nodes.append(node) }
        }
        return nodes
    }

    func nodes(of type: cmark_node_type) -> [OpaquePointer] {
        allNodes().filter { cmark_node_get_type($0) == type }
    }

    /// Makes the tree safe to render. Nodes are visited children first (document order
    /// reversed), so a node replaced or freed here is never visited again.
    func sanitize() {
        for node in allNodes().reversed() {
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_HTML_BLOCK {
                // Shown as the text it is, in a paragraph of its own.
                let literal = Self.literal(of: node).trimmingCharacters(in: .newlines)
                let paragraph = cmark_node_new(CMARK_NODE_PARAGRAPH)
                cmark_node_append_child(paragraph, Self.textNode(literal))
                replace(node, with: paragraph)
            } else if type == CMARK_NODE_HTML_INLINE {
                replace(node, with: Self.textNode(Self.literal(of: node)))
            } else if type == CMARK_NODE_LINK {
                if let url = SafeURL.link(Self.url(of: node)) {
                    cmark_node_set_url(node, url)
                    cmark_node_set_title(node, "")
                } else {
                    unwrap(node)
                }
            } else if type == CMARK_NODE_IMAGE {
                let alt = Self.text(of: node).trimmingCharacters(in: .whitespaces)
                if let url = SafeURL.image(Self.url(of: node)) {
                    // Our own markup, every value escaped: cmark writes a custom node's text as it is.
                    let image = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)
                    cmark_node_set_on_enter(
                        image,
                        "<img src=\"\(HTMLText.escapeAttribute(url))\" alt=\"\(HTMLText.escapeAttribute(alt))\" loading=\"lazy\">"
                    )
                    cmark_node_set_on_exit(image, "")
                    replace(node, with: image)
                } else {
                    replace(node, with: Self.textNode(alt))
                }
            } else if type == CMARK_NODE_CODE_BLOCK {
                let info = String(cString: cmark_node_get_fence_info(node))
                let language = info.prefix { !$0.isWhitespace }.filter {
                    $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "+")
                }
                cmark_node_set_fence_info(node, String(language))
            } else if type == CMARK_NODE_CUSTOM_BLOCK || type == CMARK_NODE_CUSTOM_INLINE {
                // cmark's parser makes none; should one appear, it carries no markup of anyone's.
                cmark_node_set_on_enter(node, "")
                cmark_node_set_on_exit(node, "")
            }
        }
    }

    /// The HTML of the (sanitized) tree, headings with ids.
    func html() -> String {
        let extensions = cmark_parser_get_syntax_extensions(parser)
        guard let rendered = cmark_render_html(root, CMARK_OPT_DEFAULT, extensions) else { return "" }
        defer { free(rendered) }
        var html = String(cString: rendered)
        while html.last == "\n" { html.removeLast() }
        let ids = HeadingIDs.ids(for: nodes(of: CMARK_NODE_HEADING).map { Self.text(of: $0) })
        return HeadingIDs.insert(ids, into: html)
    }

    // MARK: Tree helpers

    private func replace(_ node: OpaquePointer, with replacement: OpaquePointer?) {
        guard let replacement else { return }
        cmark_node_replace(node, replacement)
        cmark_node_free(node)
    }

    /// Moves a node's children to where it stands and removes it (a link that may not link).
    private func unwrap(_ node: OpaquePointer) {
        while let child = cmark_node_first_child(node) {
            guard cmark_node_insert_before(node, child) == 0 else { continue }
            // cmark refused the child where the link stands (its parent may not hold one), which
            // left it in place and looped for ever: its text goes there instead, or nothing.
            let text = Self.textNode(Self.text(of: child))
            cmark_node_free(child)
            if let text, cmark_node_insert_before(node, text) == 0 { cmark_node_free(text) }
        }
        cmark_node_unlink(node)
        cmark_node_free(node)
    }

    static func textNode(_ text: String) -> OpaquePointer? {
        let node = cmark_node_new(CMARK_NODE_TEXT)
        cmark_node_set_literal(node, text)
        return node
    }

    static func literal(of node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    static func url(of node: OpaquePointer) -> String {
        cmark_node_get_url(node).map { String(cString: $0) } ?? ""
    }

    /// The text inside a node (an image's alt text, a heading's words), without markup.
    static func text(of node: OpaquePointer) -> String {
        var text = ""
        let iterator = cmark_iter_new(node)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let current = cmark_iter_get_node(iterator), current != node else { continue }
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_HTML_INLINE {
                text += literal(of: current)
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            }
        }
        return text
    }
}

/// Which link targets may appear in editor-written content.
public enum SafeURL {
    static let linkSchemes: Set<String> = ["http", "https", "mailto", "tel"]
    static let imageSchemes: Set<String> = ["http", "https"]

    /// The URL when a link may point there; nil for `javascript:`, `data:` and every other scheme.
    public static func link(_ raw: String) -> String? { check(raw, allowing: linkSchemes) }

    /// The URL when an image may load from there.
    public static func image(_ raw: String) -> String? { check(raw, allowing: imageSchemes) }

    static func check(_ raw: String, allowing schemes: Set<String>) -> String? {
        let url = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !url.isEmpty else { return nil }
        // By scalar, not Character: `javascript:` followed by a combining mark is one Character
        // ending in something other than ":", which a Character search would not find (found by fuzzing).
        let scalars = url.unicodeScalars
        // Browsers ignore tabs, newlines and control characters inside a scheme ("java\tscript:").
        guard !scalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        guard let colon = scalars.firstIndex(of: ":") else { return url }
        let beforeColon = scalars[..<colon]
        // A colon after a path, query or fragment starts is not a scheme: "/a:b", "?q=a:b".
        if beforeColon.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return url }
        return schemes.contains(String(String.UnicodeScalarView(beforeColon)).lowercased()) ? url : nil
    }
}

/// Gives each heading an id made from its text, unique within one document.
enum HeadingIDs {
    static func ids(for headings: [String]) -> [String] {
        var used: [String: Int] = [:]
        return headings.map { text in
            var base = text.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
                .split(separator: "-").joined(separator: "-")
            if base.isEmpty { base = "section" }
            let count = used[base, default: 0]
            used[base] = count + 1
            return count == 0 ? base : "\(base)-\(count + 1)"
        }
    }

    /// Adds the ids to the headings' opening tags in order. Every `<hN>` in cmark's output is a
    /// heading it wrote: text and code are escaped, so an editor's `<h2>` reads `&lt;h2&gt;`.
    static func insert(_ ids: [String], into html: String) -> String {
        var result = ""
        result.reserveCapacity(html.utf8.count + ids.count * 24)
        var rest = html[...]
        var index = 0
        while index < ids.count, let open = rest.range(of: "<h") {
            let after = rest[open.upperBound...]
            guard let level = after.first, ("1"..."6").contains(level), after.dropFirst().first == ">" else {
                result += rest[..<open.upperBound]
                rest = after
                continue
            }
            result += rest[..<open.lowerBound]
            result += "<h\(level) id=\"\(HTMLText.escapeAttribute(ids[index]))\">"
            rest = after.dropFirst(2)
            index += 1
        }
        result += rest
        return result
    }
}
