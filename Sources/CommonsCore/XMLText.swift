/// Text written into XML (a feed, a sitemap, an SVG drawing): the five special characters
/// escaped, and the characters XML 1.0 cannot hold at all (most control characters, U+FFFE,
/// U+FFFF) replaced, so a stray byte in a title never makes the whole document unreadable.
public enum XMLText {
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsWork) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case _ where isIllegal(scalar): escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `text` without the characters XML 1.0 cannot hold: for a whole document written by a
    /// template whose escaper does not know them (Mustache's, for the RSS feed).
    public static func removingIllegal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isIllegal) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isIllegal($0) }))
    }

    static func needsWork(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "\"", "'": true
        default: isIllegal(scalar)
        }
    }

    static func isIllegal(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar == "\u{FFFE}" || scalar == "\u{FFFF}"
    }
}
