/// Text typed into a one-line field, cleaned one way everywhere.
public enum PlainText {
    /// Trimmed, inner runs of white space and control characters folded to one space.
    public static func line(_ raw: String) -> String {
        raw.split(whereSeparator: { $0.isWhitespace || $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } })
            .joined(separator: " ")
    }
}
