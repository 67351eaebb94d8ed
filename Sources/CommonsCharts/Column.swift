/// What a column holds. Detected from its values when a file is read; an editor may correct it.
public enum ColumnKind: String, Sendable, Codable, CaseIterable {
    case text
    case number
    /// A number written with `%` after it ("80%"); its value is the number before the sign.
    case percent
}

/// One column of a dataset: its name in the file and what it holds.
public struct Column: Sendable, Codable, Equatable {
    public var name: String
    public var kind: ColumnKind

    public init(name: String, kind: ColumnKind) {
        self.name = name
        self.kind = kind
    }
}

/// Reading numbers as spreadsheets write them.
public enum CellValue {
    /// Longer values are never numbers (and never reach a conversion that could be slow).
    static let maximumLength = 32
    /// Larger magnitudes are refused rather than drawn as bars a screen cannot hold.
    static let maximumMagnitude = 1e15

    /// The kind that fits every non-empty value: percent when each ends in `%`, number when each
    /// reads as one, text otherwise (and text when the column is empty).
    public static func detect(_ values: [String], decimalComma: Bool) -> ColumnKind {
        var sawValue = false
        var allPercent = true
        var allNumber = true
        for raw in values {
            let value = CSVTable.trimmingSpaces(raw)
            if value.isEmpty { continue }
            sawValue = true
            if number(value, kind: .percent, decimalComma: decimalComma) == nil { allPercent = false }
            if number(value, kind: .number, decimalComma: decimalComma) == nil { allNumber = false }
            if !allPercent && !allNumber { return .text }
        }
        guard sawValue else { return .text }
        return allPercent ? .percent : (allNumber ? .number : .text)
    }

    /// The number a cell holds as `kind`; nil when it is not one (or is empty, or is text).
    /// Numbers: an optional sign, digits, an optional fraction. In a comma-separated file `,`
    /// may group thousands ("12,500") and `.` marks the fraction; in a semicolon-separated one
    /// (`decimalComma`) `,` marks the fraction and `.` or a space groups thousands.
    public static func number(_ raw: String, kind: ColumnKind, decimalComma: Bool) -> Double? {
        guard kind != .text else { return nil }
        var text = Substring(CSVTable.trimmingSpaces(raw))
        guard !text.isEmpty, text.utf8.count <= maximumLength else { return nil }
        if kind == .percent {
            guard text.hasSuffix("%") else { return nil }
            text = Substring(CSVTable.trimmingSpaces(String(text.dropLast())))
        }
        var negative = false
        if let sign = text.first, sign == "-" || sign == "+" || sign == "\u{2212}" {
            negative = sign != "+"
            text = text.dropFirst()
        }
        let decimalMark: Character = decimalComma ? "," : "."
        let groupMarks: Set<Character> = decimalComma ? [".", " ", "\u{A0}", "\u{202F}"] : [","]
        var whole: [Character] = []
        var fraction: [Character] = []
        var inFraction = false
        var groups: [Int] = []
        var groupLength = 0
        for character in text {
            if character.isASCII, character.isNumber {
                if inFraction { fraction.append(character) } else { whole.append(character) }
                groupLength += 1
            } else if character == decimalMark, !inFraction {
                inFraction = true
                groups.append(groupLength)
                groupLength = 0
            } else if groupMarks.contains(character), !inFraction {
                groups.append(groupLength)
                groupLength = 0
            } else {
                return nil
            }
        }
        if !inFraction { groups.append(groupLength) }
        guard !whole.isEmpty || !fraction.isEmpty, !(inFraction && fraction.isEmpty) else { return nil }
        // Thousands groups, when used, are 1-3 digits then threes: "12,500" but never "1,5".
        if groups.count > 1 {
            guard (1...3).contains(groups[0]), groups.dropFirst().allSatisfy({ $0 == 3 }) else { return nil }
        }
        guard let value = Double(String(whole.isEmpty ? ["0"] : whole) + (fraction.isEmpty ? "" : "." + String(fraction))),
            value.isFinite, value <= maximumMagnitude
        else { return nil }
        return negative ? -value : value
    }
}
