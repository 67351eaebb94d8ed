import Foundation

/// Escaping for text our own code places into HTML.
public enum HTMLText {
    /// Escapes text for an element's content.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
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
