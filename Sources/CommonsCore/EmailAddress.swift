/// Email addresses as people type them into forms, for supporters and staff alike.
public enum EmailAddress {
    /// Trimmed and lowercased: `  Maria@Example.org ` and `maria@example.org` are one person.
    public static func normalize(_ raw: String) -> String {
        var text = Substring(raw)
        while let first = text.unicodeScalars.first, first.properties.isWhitespace { text = text.dropFirst() }
        while let last = text.unicodeScalars.last, last.properties.isWhitespace { text = text.dropLast() }
        return text.lowercased()
    }

    /// A plausible address: one `@`, at most 64 characters before it, a dotted domain after
    /// (labels not empty, not starting or ending with `-`, the last at least two letters long),
    /// no spaces, control characters, quotes, backslashes or brackets, at most 254 characters.
    /// `a@b` and `a@b.c` are refused; so is anything a mail header could be split on.
    public static func isValid(_ email: String) -> Bool {
        guard email.utf8.count <= 254 else { return false }
        let forbidden: Set<Unicode.Scalar> = ["<", ">", ",", ";", "\"", "\\", "(", ")", "[", "]", ":"]
        for scalar in email.unicodeScalars {
            if scalar.value < 0x21 || (0x7F...0x9F).contains(scalar.value) || forbidden.contains(scalar) || scalar.properties.isWhitespace {
                return false
            }
            if scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF { return false }
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 && $0.first != "-" && $0.last != "-" }),
            let last = labels.last
        else { return false }
        return last.count >= 2 && last.allSatisfy { $0.isLetter || $0 == "-" || $0.isNumber }
    }
}
