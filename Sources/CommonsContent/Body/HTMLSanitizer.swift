import CLibXML2
import Foundation

/// Makes HTML from elsewhere (a WordPress export, an imported post edited later) safe to show:
/// libxml2's HTML parser reads it as a browser would, and only an allowlist of elements and
/// attributes is written back out, every text and attribute escaped again. Scripts, styles,
/// frames, forms and their contents go; event attributes, `style` and `class` go; links and
/// images keep only the URL schemes `SafeURL` allows. Other elements (`div`, `span`, `font`)
/// are unwrapped, keeping their text. Text outside any block is made into paragraphs at blank
/// lines, as WordPress itself does when it shows a post.
public struct HTMLSanitizer: Sendable {
    /// What came out of one body.
    public struct Output: Sendable, Equatable {
        public var html: String
        /// The words alone, for search, summaries and feeds.
        public var text: String
        /// WordPress shortcodes (`[gallery]`, `[caption]…[/caption]`) taken out of the text.
        public var removedShortcodes: Int
    }

    /// Maps a link or image address to a new one (an imported item's new page); nil keeps it.
    public var rewriteURL: (@Sendable (String) -> String?)?

    public init(rewriteURL: (@Sendable (String) -> String?)? = nil) {
        self.rewriteURL = rewriteURL
    }

    /// What may stand directly inside a list or a table's parts.
    static let parts: [String: Set<String>] = [
        "ul": ["li"], "ol": ["li"], "table": ["caption", "thead", "tbody", "tfoot", "tr"], "thead": ["tr"], "tbody": ["tr"], "tfoot": ["tr"],
        "tr": ["td", "th"],
    ]
    /// The blocks that hold inline content only.
    static let paragraphs: Set<String> = ["p", "h2", "h3", "h4", "h5", "h6"]
    static let blocks: Set<String> = ["p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table", "figure", "hr"]
    static let inlines: Set<String> = ["a", "em", "strong", "code", "br", "img", "sup", "sub", "cite", "q", "abbr", "s"]
    static let tableParts: Set<String> = ["caption", "thead", "tbody", "tfoot", "tr", "th", "td"]
    /// Dropped with everything inside them.
    static let dropped: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "select", "textarea",
        "option", "noscript", "template", "svg", "math", "head", "title", "meta", "link", "base", "audio", "video", "canvas", "map",
    ]
    /// Unwrapped like unknown elements, but they also end a paragraph.
    static let containers: Set<String> = [
        "div", "section", "article", "main", "header", "footer", "aside", "center", "nav", "address", "dl", "dd", "dt",
    ]
    static let renamed: [String: String] = ["b": "strong", "i": "em", "h1": "h2", "strike": "s", "del": "s", "tt": "code"]

    public func sanitize(_ html: String) -> Output {
        let (withoutShortcodes, removed) = Self.removeShortcodes(from: html)
        var writer = Writer(rewriteURL: rewriteURL)
        let bytes = Array(("<html><body>" + withoutShortcodes + "</body></html>").utf8)
        let options = Int32(HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        guard
            let document = bytes.withUnsafeBufferPointer({ buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    htmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options)
                }
            })
        else { return Output(html: "", text: "", removedShortcodes: removed) }
        defer { xmlFreeDoc(document) }
        if let body = Self.find("body", in: xmlDocGetRootElement(document)) {
            writer.flow(body.pointee.children)
        }
        writer.endParagraph()
        let text = writer.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return Output(html: writer.html, text: text, removedShortcodes: removed)
    }

    static func find(_ name: String, in node: xmlNodePtr?) -> xmlNodePtr? {
        var current = node
        while let node = current {
            if node.pointee.type == XML_ELEMENT_NODE, Self.name(of: node) == name { return node }
            if let found = find(name, in: node.pointee.children) { return found }
            current = node.pointee.next
        }
        return nil
    }

    static func name(of node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
    }

    /// `[name attributes]`, `[/name]`: a known WordPress shortcode, or any name that also
    /// appears closed. Bracketed words that are not shortcodes (`[sic]`) stay.
    static let known: Set<String> = [
        "caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist", "contact-form-7", "contact-form", "youtube", "vimeo",
    ]

    static func removeShortcodes(from text: String) -> (String, Int) {
        guard text.contains("[") else { return (text, 0) }
        let pattern = try! NSRegularExpression(pattern: #"\[(/?)([A-Za-z][A-Za-z0-9_-]*)((?:\s[^\]]*)?)\]"#)
        let source = text as NSString
        let matches = pattern.matches(in: text, range: NSRange(location: 0, length: source.length))
        let closed = Set(
            matches.filter { source.substring(with: $0.range(at: 1)) == "/" }.map { source.substring(with: $0.range(at: 2)).lowercased() }
        )
        var result = ""
        var last = 0
        var count = 0
        for match in matches {
            let name = source.substring(with: match.range(at: 2)).lowercased()
            let isShortcode = known.contains(name) || closed.contains(name) || name.contains("_") || name.hasPrefix("vc") || name.hasPrefix("et_pb")
            guard isShortcode else { continue }
            result += source.substring(with: NSRange(location: last, length: match.range.location - last))
            last = match.range.location + match.range.length
            if source.substring(with: match.range(at: 1)) != "/" { count += 1 }
        }
        result += source.substring(from: last)
        return (result, count)
    }

    /// Writes the allowed tree out, gathering loose text into paragraphs.
    struct Writer {
        let rewriteURL: (@Sendable (String) -> String?)?
        var html = ""
        var text = ""
        /// Inline HTML waiting for its paragraph.
        var paragraph = ""
        var paragraphHasContent = false

        init(rewriteURL: (@Sendable (String) -> String?)?) {
            self.rewriteURL = rewriteURL
        }

        /// Children of a place where blocks may stand (the body, a quote, a list item, a cell):
        /// loose inline content becomes paragraphs, split at blank lines.
        mutating func flow(_ first: xmlNodePtr?) {
            var current = first
            while let node = current {
                switch node.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    let content = Self.content(of: node)
                    let pieces = content.components(separatedBy: "\n\n").flatMap { $0.components(separatedBy: "\r\n\r\n") }
                    for (index, piece) in pieces.enumerated() {
                        if index > 0 { endParagraph() }
                        addText(piece, lineBreaks: true)
                    }
                case XML_ELEMENT_NODE:
                    let name = HTMLSanitizer.renamed[HTMLSanitizer.name(of: node)] ?? HTMLSanitizer.name(of: node)
                    if HTMLSanitizer.dropped.contains(name) {
                        break
                    } else if HTMLSanitizer.blocks.contains(name) || HTMLSanitizer.tableParts.contains(name) || name == "figcaption" {
                        endParagraph()
                        block(node, name: name)
                    } else if HTMLSanitizer.containers.contains(name) {
                        endParagraph()
                        flow(node.pointee.children)
                        endParagraph()
                    } else {
                        let produced = inline(node, name: name)
                        paragraph += produced
                        if produced.contains("<img") || !HTMLText.stripTags(produced).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                            paragraphHasContent = true
                        }
                    }
                default:
                    break
                }
                current = node.pointee.next
            }
        }

        mutating func addText(_ raw: String, lineBreaks: Bool) {
            let collapsed = raw.replacingOccurrences(of: "\r", with: "")
            let lines = collapsed.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                if index > 0 {
                    if lineBreaks && paragraphHasContent && !line.trimmingCharacters(in: .whitespaces).isEmpty {
                        paragraph += "<br>"
                    } else {
                        paragraph += " "
                    }
                }
                let words = String(line)
                if !words.trimmingCharacters(in: .whitespacesAndNewlines.union(["\u{00A0}"])).isEmpty { paragraphHasContent = true }
                paragraph += HTMLText.escape(words)
                text += words
            }
        }

        mutating func endParagraph() {
            let trimmed = paragraph.trimmingCharacters(in: .whitespacesAndNewlines)
            if paragraphHasContent, !trimmed.isEmpty {
                html += "<p>\(trimmed)</p>\n"
                text += " "
            }
            paragraph = ""
            paragraphHasContent = false
        }

        mutating func block(_ node: xmlNodePtr, name: String) {
            switch name {
            case "hr":
                html += "<hr>\n"
            case "ul", "ol", "table", "thead", "tbody", "tfoot", "tr":
                // Only their own parts belong directly inside them; stray text is dropped.
                let attributes = name == "ol" ? number("start", of: node).map { " start=\"\($0)\"" } ?? "" : ""
                html += "<\(name)\(attributes)>\n"
                var child = node.pointee.children
                while let part = child {
                    if part.pointee.type == XML_ELEMENT_NODE {
                        let partName = HTMLSanitizer.renamed[HTMLSanitizer.name(of: part)] ?? HTMLSanitizer.name(of: part)
                        if HTMLSanitizer.dropped.contains(partName) {
                            // scripts, styles, frames, forms: gone with their content
                        } else if HTMLSanitizer.parts[name, default: []].contains(partName) {
                            block(part, name: partName)
                        } else if name == "ul" || name == "ol" {
                            // Anything else in a list is read as a list item (found by fuzzing: it used to be echoed as itself).
                            block(part, name: "li")
                        }
                    }
                    child = part.pointee.next
                }
                html += "</\(name)>\n"
                text += " "
            case "li", "blockquote", "td", "th", "figure", "caption", "figcaption":
                var attributes = ""
                if name == "td" || name == "th" {
                    for span in ["colspan", "rowspan"] {
                        if let value = number(span, of: node) { attributes += " \(span)=\"\(value)\"" }
                    }
                    if name == "th", let scope = attribute("scope", of: node), ["row", "col", "rowgroup", "colgroup"].contains(scope) {
                        attributes += " scope=\"\(scope)\""
                    }
                }
                let outer = html
                html = ""
                flow(node.pointee.children)
                endParagraph()
                var inner = html
                // A single paragraph in a small container reads better without its <p>.
                if ["li", "td", "th", "caption", "figcaption"].contains(name), inner.hasPrefix("<p>"), inner.hasSuffix("</p>\n"),
                    inner.components(separatedBy: "<p>").count == 2
                {
                    inner = String(inner.dropFirst(3).dropLast(5))
                }
                html = outer + "<\(name)\(attributes)>\(inner)</\(name)>\n"
                text += " "
            case "pre":
                html += "<pre>\(HTMLText.escape(Self.textContent(of: node)))</pre>\n"
                text += Self.textContent(of: node) + " "
            default:  // p and headings: inline content only
                let name = HTMLSanitizer.paragraphs.contains(name) ? name : "p"
                var inner = ""
                var child = node.pointee.children
                while let part = child {
                    inner += inlineContent(part)
                    child = part.pointee.next
                }
                let trimmed = inner.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty, trimmed != "&nbsp;", trimmed != "\u{00A0}" { html += "<\(name)>\(trimmed)</\(name)>\n" }
                text += " "
            }
        }

        /// One node inside a paragraph or heading.
        mutating func inlineContent(_ node: xmlNodePtr) -> String {
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                let content = Self.content(of: node)
                text += content
                return HTMLText.escape(content.replacingOccurrences(of: "\n", with: " "))
            case XML_ELEMENT_NODE:
                let name = HTMLSanitizer.renamed[HTMLSanitizer.name(of: node)] ?? HTMLSanitizer.name(of: node)
                if HTMLSanitizer.dropped.contains(name) { return "" }
                return inline(node, name: name)
            default:
                return ""
            }
        }

        mutating func inline(_ node: xmlNodePtr, name: String) -> String {
            var inner = ""
            var child = node.pointee.children
            while let part = child {
                inner += inlineContent(part)
                child = part.pointee.next
            }
            switch name {
            case "br":
                return "<br>"
            case "img":
                guard let source = attribute("src", of: node).map(rewrite).flatMap(SafeURL.image) else { return "" }
                var result = "<img src=\"\(HTMLText.escapeAttribute(source))\" alt=\"\(HTMLText.escapeAttribute(attribute("alt", of: node) ?? ""))\""
                for size in ["width", "height"] {
                    if let value = number(size, of: node) { result += " \(size)=\"\(value)\"" }
                }
                return result + ">"
            case "a":
                guard let target = attribute("href", of: node).map(rewrite).flatMap(SafeURL.link) else { return inner }
                let title = attribute("title", of: node).map { " title=\"\(HTMLText.escapeAttribute($0))\"" } ?? ""
                return "<a href=\"\(HTMLText.escapeAttribute(target))\"\(title)>\(inner)</a>"
            case _ where HTMLSanitizer.inlines.contains(name):
                return inner.isEmpty ? "" : "<\(name)>\(inner)</\(name)>"
            default:
                return inner
            }
        }

        func rewrite(_ url: String) -> String {
            let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
            return rewriteURL?(trimmed) ?? trimmed
        }

        func attribute(_ name: String, of node: xmlNodePtr) -> String? {
            var property = node.pointee.properties
            while let current = property {
                if let attributeName = current.pointee.name, String(cString: attributeName).lowercased() == name {
                    var value = ""
                    var child = current.pointee.children
                    while let part = child {
                        if let content = part.pointee.content { value += String(cString: content) }
                        child = part.pointee.next
                    }
                    return value
                }
                property = current.pointee.next
            }
            return nil
        }

        func number(_ name: String, of node: xmlNodePtr) -> Int? {
            attribute(name, of: node).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { (0...10000).contains($0) ? $0 : nil }
        }

        static func content(of node: xmlNodePtr) -> String {
            node.pointee.content.map { String(cString: $0) } ?? ""
        }

        static func textContent(of node: xmlNodePtr) -> String {
            guard let raw = xmlNodeGetContent(node) else { return "" }
            defer { free(raw) }  // libxml2 allocates with malloc unless told otherwise
            return String(cString: raw)
        }
    }
}
