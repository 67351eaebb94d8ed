import Foundation

/// Escaping for text our own code places into HTML.
public enum HTMLText {
    /// Escapes text for an element's content. Scalar by scalar: a quote followed by a
    /// combining mark is one `Character`, which a per-Character escaper would not recognise.
    public static func escape(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "\"": result.append(contentsOf: "&quot;".unicodeScalars)
            case "'": result.append(contentsOf: "&#39;".unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// The text with every `<`, `>`, `&`, `"` and `'` that is fused with marks after it into one
    /// `Character` replaced by its full-width twin (＜ ＞ ＆ ＂ ＇). Escapers that work by
    /// `Character`, as Mustache's does, do not see such a quote, which would then end an
    /// attribute value; no real text puts a combining mark on a quote, so nothing is lost.
    public static func unfusingMarkup(_ text: String) -> String {
        // Plain ASCII, the usual case, cannot hold a fused character.
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return text }
        let twins: [Unicode.Scalar: Unicode.Scalar] = ["<": "\u{FF1C}", ">": "\u{FF1E}", "&": "\u{FF06}", "\"": "\u{FF02}", "'": "\u{FF07}"]
        guard text.contains(where: { $0.unicodeScalars.count > 1 && $0.unicodeScalars.contains { twins[$0] != nil } }) else { return text }
        var result = String.UnicodeScalarView()
        for character in text {
            let scalars = character.unicodeScalars
            if scalars.count > 1 {
                for scalar in scalars { result.append(twins[scalar] ?? scalar) }
            } else {
                result.append(contentsOf: scalars)
            }
        }
        return String(result)
    }

    /// Escapes text for a double-quoted attribute value.
    public static func escapeAttribute(_ text: String) -> String { escape(text) }

    /// The text of HTML our own renderer produced, tags removed and the five entities decoded.
    public static func stripTags(_ html: String) -> String {
        var result = ""
        var inTag = false
        for character in html {
            if character == "<" {
                inTag = true
                continue
            }
            if character == ">" && inTag {
                inTag = false
                result.append(" ")
                continue
            }
            if !inTag { result.append(character) }
        }
        let decoded =
            result
            .replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
        return decoded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
