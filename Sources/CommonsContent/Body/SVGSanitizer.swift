import CLibXML2
import CommonsCore
import Foundation

/// Makes an uploaded SVG drawing (a member organization's logo) safe to serve from the site:
/// libxml2 reads it as XML (no network, no external DTD, entities left unexpanded), and only
/// shapes are written back out: `svg`, `g`, paths and the basic shapes, gradients, clip paths,
/// `title` and `desc`, with an allowlist of presentation attributes. Scripts, styles, links,
/// images, text, `use`, `foreignObject`, event attributes and any reference outside the
/// drawing (`url(…)` other than `url(#id)`) go. Every text and attribute is escaped again.
public enum SVGSanitizer {
    /// Larger drawings are refused before they are read.
    public static let sizeLimit = 1_000_000
    /// Deeper nesting is cut off (a logo needs a handful of groups).
    public static let depthLimit = 64

    static let svgNamespace = "http://www.w3.org/2000/svg"

    static let elements: Set<String> = [
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "title", "desc", "defs", "linearGradient",
        "radialGradient", "stop", "clipPath",
    ]

    static let attributes: Set<String> = [
        "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "d", "points", "fill",
        "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
        "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity", "transform", "offset", "stop-color", "stop-opacity",
        "gradientUnits", "gradientTransform", "spreadMethod", "clip-path", "clip-rule", "clipPathUnits", "preserveAspectRatio", "id",
        "version",
    ]

    /// The drawing with only its shapes, or nil when the bytes are not an SVG document.
    public static func sanitize(_ bytes: [UInt8]) -> String? {
        guard !bytes.isEmpty, bytes.count <= sizeLimit else { return nil }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
        guard
            let document = bytes.withUnsafeBufferPointer({ buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReadMemory($0, Int32(buffer.count), nil, nil, options)
                }
            })
        else { return nil }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document), isSVG(root), localName(root) == "svg" else { return nil }
        var out = ""
        write(root, depth: 0, into: &out)
        return out
    }

    static func localName(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// In the SVG namespace, or in none (a file written without `xmlns`).
    static func isSVG(_ node: xmlNodePtr) -> Bool {
        guard let namespace = node.pointee.ns, let href = namespace.pointee.href else { return true }
        return String(cString: href) == svgNamespace
    }

    static func write(_ node: xmlNodePtr, depth: Int, into out: inout String) {
        let name = localName(node)
        out += "<" + name
        if depth == 0 { out += " xmlns=\"\(svgNamespace)\"" }
        var attribute = node.pointee.properties
        while let current = attribute {
            defer { attribute = current.pointee.next }
            guard current.pointee.ns == nil, let rawName = current.pointee.name else { continue }
            let attributeName = String(cString: rawName)
            guard attributes.contains(attributeName), let value = xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1) else {
                continue
            }
            defer { free(value) }  // libxml2 allocates with malloc unless told otherwise
            // Line breaks in a value are spaces to any XML reader; written so, reading it back gives the same.
            let text = String(String.UnicodeScalarView(String(cString: value).unicodeScalars.map { "\t\n\r".unicodeScalars.contains($0) ? " " : $0 }))
            guard isSafe(text) else { continue }
            out += " \(attributeName)=\"\(XMLText.escape(text))\""
        }
        out += ">"
        if name == "title" || name == "desc" {
            if let content = xmlNodeGetContent(node) {
                out += XMLText.escape(String(cString: content).replacingOccurrences(of: "\r", with: "\n"))
                free(content)
            }
        } else if depth < depthLimit {
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE, isSVG(current), elements.contains(localName(current)) {
                    write(current, depth: depth + 1, into: &out)
                }
                child = current.pointee.next
            }
        }
        out += "</\(name)>"
    }

    /// A value that names nothing outside the drawing: `url(…)` only as `url(#id)`, no
    /// script or style scheme, no escapes a later reader might undo.
    static func isSafe(_ value: String) -> Bool {
        let lowered = value.lowercased()
        if lowered.contains("javascript:") || lowered.contains("data:") || lowered.contains("expression(") || lowered.contains("\\") {
            return false
        }
        var rest = Substring(lowered)
        while let range = rest.range(of: "url(") {
            let after = rest[range.upperBound...].drop { $0 == " " || $0 == "'" || $0 == "\"" }
            guard after.first == "#", let close = after.firstIndex(of: ")") else { return false }
            let id = after[after.index(after: after.startIndex)..<close].trimmingCharacters(in: CharacterSet(charactersIn: " '\""))
            guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." || $0 == ":" }) else { return false }
            rest = after[close...]
        }
        return true
    }
}
