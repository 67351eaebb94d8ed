import Foundation
import Ink

/// Turns an editor's Markdown into HTML that is safe to place in a page as it is.
///
/// Ink passes raw HTML and any link scheme through, and leaves quotes in URLs and alt text
/// unescaped, so every construct that can carry an attribute is rebuilt here from its
/// Markdown source: raw HTML becomes visible text, links keep only `http`, `https`, `mailto`,
/// `tel` and relative targets (others render as their plain text), images only `http(s)` and
/// relative sources, code blocks only a plain language name, and headings gain ids.
public struct MarkdownRenderer: Sendable {
    public init() {}

    public func html(from markdown: String) -> String {
        let references = Self.referenceDefinitions(in: markdown)
        let headingIDs = HeadingIDs()
        var parser = MarkdownParser()
        parser.addModifier(
            Modifier(target: .html) { input in
                HTMLText.escape(String(input.markdown))
            }
        )
        parser.addModifier(
            Modifier(target: .links) { input in
                Self.rebuildLink(html: input.html, markdown: input.markdown, references: references)
            }
        )
        parser.addModifier(
            Modifier(target: .images) { input in
                Self.rebuildImage(markdown: input.markdown, references: references)
            }
        )
        parser.addModifier(
            Modifier(target: .codeBlocks) { input in
                Self.rebuildCodeBlock(html: input.html, markdown: input.markdown)
            }
        )
        parser.addModifier(
            Modifier(target: .headings) { input in
                headingIDs.addID(to: input.html, markdown: input.markdown)
            }
        )
        return parser.html(from: markdown)
    }

    /// What an editor must fix before the Markdown can be saved, as string-catalog keys:
    /// today, an image without alt text (`error.image_alt_missing`).
    public func problems(in markdown: String) -> [String] {
        let missingAlt = MissingAltCounter()
        var parser = MarkdownParser()
        parser.addModifier(
            Modifier(target: .images) { input in
                let alt = LinkSource(markdown: input.markdown.dropFirst(), references: [:])?.text ?? ""
                if alt.trimmingCharacters(in: .whitespaces).isEmpty { missingAlt.increment() }
                return input.html
            }
        )
        _ = parser.html(from: markdown)
        return missingAlt.value > 0 ? ["error.image_alt_missing"] : []
    }

    /// The text of the Markdown without any markup, for summaries, search and feeds.
    public func plainText(from markdown: String) -> String {
        let html = html(from: markdown)
        return HTMLText.stripTags(html)
    }

    // MARK: Links and images

    static func rebuildLink(html: String, markdown: Substring, references: [String: String]) -> String {
        guard let parts = LinkSource(markdown: markdown, references: references) else {
            return HTMLText.escape(String(markdown))
        }
        // Ink's html is `<a href="URL">TEXT</a>`; TEXT is the already-rendered inner HTML.
        let prefix = "<a href=\"\(parts.rawURL)\">"
        guard html.hasPrefix(prefix), html.hasSuffix("</a>") else {
            return HTMLText.escape(String(markdown))
        }
        let inner = String(html.dropFirst(prefix.count).dropLast(4))
        guard let url = SafeURL.link(parts.rawURL) else { return inner }
        return "<a href=\"\(HTMLText.escapeAttribute(url))\">\(inner)</a>"
    }

    static func rebuildImage(markdown: Substring, references: [String: String]) -> String {
        guard markdown.first == "!", let parts = LinkSource(markdown: markdown.dropFirst(), references: references) else {
            return HTMLText.escape(String(markdown))
        }
        let alt = HTMLText.escapeAttribute(parts.text.trimmingCharacters(in: .whitespaces))
        guard let url = SafeURL.image(parts.rawURL) else { return alt }
        return "<img src=\"\(HTMLText.escapeAttribute(url))\" alt=\"\(alt)\" loading=\"lazy\">"
    }

    static func rebuildCodeBlock(html: String, markdown: Substring) -> String {
        var firstLine = markdown.prefix { !$0.isNewline }
        firstLine = firstLine.drop { $0 == "`" }
        let language = firstLine.trimmingCharacters(in: .whitespaces)
        let prefix = language.isEmpty ? "<pre><code>" : "<pre><code class=\"language-\(language)\">"
        guard html.hasPrefix(prefix), html.hasSuffix("</code></pre>") else {
            return "<pre><code>\(HTMLText.escape(String(markdown)))</code></pre>"
        }
        let code = html.dropFirst(prefix.count).dropLast("</code></pre>".count)
        let safeLanguage = language.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "+") }
        let classAttribute = safeLanguage.isEmpty ? "" : " class=\"language-\(safeLanguage)\""
        return "<pre><code\(classAttribute)>\(code)</code></pre>"
    }

    /// `[name]: url` lines, keyed as Ink keys them (lowercased).
    static func referenceDefinitions(in markdown: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in markdown.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.first == "[", let close = trimmed.firstIndex(of: "]") else { continue }
            let afterClose = trimmed[trimmed.index(after: close)...]
            guard afterClose.first == ":" else { continue }
            let name = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let url = afterClose.dropFirst().trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, !url.isEmpty { result[name.lowercased()] = url }
        }
        return result
    }
}

/// The parts of `[text](url)` or `[text][reference]` as written.
struct LinkSource {
    var text: String
    var rawURL: String

    init?(markdown: Substring, references: [String: String]) {
        guard markdown.first == "[" else { return nil }
        if markdown.last == ")" {
            // Walk back from the closing parenthesis to its balanced opening one.
            var depth = 0
            var index = markdown.index(before: markdown.endIndex)
            var open: Substring.Index?
            while index > markdown.startIndex {
                let character = markdown[index]
                if character == ")" { depth += 1 }
                if character == "(" {
                    depth -= 1
                    if depth == 0 {
                        open = index
                        break
                    }
                }
                index = markdown.index(before: index)
            }
            guard let open, open > markdown.startIndex, markdown[markdown.index(before: open)] == "]" else { return nil }
            text = String(markdown[markdown.index(after: markdown.startIndex)..<markdown.index(before: open)])
            rawURL = String(markdown[markdown.index(after: open)..<markdown.index(before: markdown.endIndex)])
        } else if markdown.last == "]", let split = markdown.range(of: "][", options: .backwards) {
            text = String(markdown[markdown.index(after: markdown.startIndex)..<split.lowerBound])
            let name = markdown[split.upperBound..<markdown.index(before: markdown.endIndex)]
            rawURL = references[name.lowercased()] ?? String(name)
        } else {
            return nil
        }
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
        // Browsers ignore tabs, newlines and control characters inside a scheme ("java\tscript:").
        guard !url.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        guard let colon = url.firstIndex(of: ":") else { return url }
        let beforeColon = url[..<colon]
        // A colon after a path, query or fragment starts is not a scheme: "/a:b", "?q=a:b".
        if beforeColon.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return url }
        return schemes.contains(beforeColon.lowercased()) ? url : nil
    }
}

final class MissingAltCounter: @unchecked Sendable {
    private(set) var value = 0
    func increment() { value += 1 }
}

/// Gives each heading an id made from its text, unique within one document.
final class HeadingIDs: @unchecked Sendable {
    private var used: [String: Int] = [:]
    private let lock = NSLock()

    func addID(to html: String, markdown: Substring) -> String {
        guard html.count > 4, html.hasPrefix("<h"), let level = html.dropFirst(2).first, level.isNumber else { return html }
        let text = markdown.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "#"))
        var base = HTMLText.stripTags(text).lowercased()
            .map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            .split(separator: "-").joined(separator: "-")
        if base.isEmpty { base = "section" }
        let id: String = lock.withLock {
            let count = used[base, default: 0]
            used[base] = count + 1
            return count == 0 ? base : "\(base)-\(count + 1)"
        }
        return "<h\(level) id=\"\(HTMLText.escapeAttribute(id))\">" + html.dropFirst(4)
    }
}
