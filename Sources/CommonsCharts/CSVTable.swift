/// A CSV file as an editor uploads it: a header row naming the columns, then rows of the same
/// width. Read in one pass over the bytes (RFC 4180 quoting, with `,` or `;` between fields and
/// `\n`, `\r\n` or `\r` between records), so no input makes it slow; nothing is kept unless the
/// whole file is clean, and every bad row is named by the line it starts on.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]
    /// `,` or `;`: what the header row separates its names with.
    public var delimiter: UInt8
    /// The line of the file each row starts on (1 is the header), for messages about a row.
    public var lines: [Int]

    /// 5 MB, the largest file accepted.
    public static let maximumBytes = 5 * 1024 * 1024
    public static let maximumColumns = 100
    public static let maximumRows = 50_000
    /// Past this many bad rows the rest are counted, not listed.
    public static let maximumProblemsListed = 20

    /// Why a file was refused.
    public enum Failure: Error, Sendable, Equatable {
        case empty
        case tooLarge
        case notUTF8
        case tooManyColumns(Int)
        case tooManyRows
        /// Rows that cannot be read, by line (at most `maximumProblemsListed`), and how many in all.
        case badRows([RowProblem], total: Int)
    }

    public struct RowProblem: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// A quoted field that never ends.
            case unclosedQuote
            /// Text between a closing quote and the next separator.
            case textAfterQuote
            /// A row with more or fewer fields than the header.
            case fieldCount(found: Int, expected: Int)
            /// A header cell with no name (its column, from 1).
            case unnamedColumn(Int)
        }
        public let line: Int
        public let kind: Kind

        public init(line: Int, kind: Kind) {
            self.line = line
            self.kind = kind
        }
    }

    public init(header: [String], rows: [[String]], delimiter: UInt8 = UInt8(ascii: ","), lines: [Int]? = nil) {
        self.header = header
        self.rows = rows
        self.delimiter = delimiter
        self.lines = lines ?? rows.indices.map { $0 + 2 }
    }

    /// Reads a whole file. Throws `Failure` for anything but a clean table.
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> CSVTable {
        guard bytes.count <= maximumBytes else { throw .tooLarge }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard String(validating: body, as: UTF8.self) != nil else { throw .notUTF8 }
        let delimiter = detectDelimiter(body)
        var reader = Reader(bytes: body, delimiter: delimiter)
        var problems: [RowProblem] = []
        var total = 0
        func note(_ problem: RowProblem) {
            total += 1
            if problems.count < maximumProblemsListed { problems.append(problem) }
        }
        var header: [String]?
        var rows: [[String]] = []
        var lines: [Int] = []
        while let record = reader.next() {
            if let problem = record.problem {
                note(RowProblem(line: record.line, kind: problem))
                continue
            }
            // A line with nothing on it is not a row.
            if record.fields.count == 1, record.fields[0].isEmpty, !record.quoted { continue }
            guard let names = header else {
                guard record.fields.count <= maximumColumns else { throw .tooManyColumns(record.fields.count) }
                let trimmed = record.fields.map(trimmingSpaces)
                for (index, name) in trimmed.enumerated() where name.isEmpty {
                    note(RowProblem(line: record.line, kind: .unnamedColumn(index + 1)))
                }
                header = trimmed
                continue
            }
            guard record.fields.count == names.count else {
                note(RowProblem(line: record.line, kind: .fieldCount(found: record.fields.count, expected: names.count)))
                continue
            }
            guard rows.count < maximumRows else { throw .tooManyRows }
            rows.append(record.fields)
            lines.append(record.line)
        }
        guard let names = header else { throw .empty }
        guard total == 0 else { throw .badRows(problems, total: total) }
        return CSVTable(header: names, rows: rows, delimiter: delimiter, lines: lines)
    }

    /// `;` when the first line has more semicolons than commas outside quotes (a spreadsheet
    /// saved where the comma is the decimal mark), `,` otherwise.
    static func detectDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var commas = 0
        var semicolons = 0
        var quoted = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted {
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                if byte == UInt8(ascii: ",") { commas += 1 }
                if byte == UInt8(ascii: ";") { semicolons += 1 }
            }
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// The text without white space at either end.
    public static func trimmingSpaces(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// One record at a time; a record's line is the line it starts on.
    struct Reader {
        struct Record {
            var fields: [String] = []
            var line: Int
            var problem: RowProblem.Kind?
            /// Whether any field was quoted (a quoted empty field is a value, not a blank line).
            var quoted = false
        }

        let bytes: ArraySlice<UInt8>
        let delimiter: UInt8
        var index: ArraySlice<UInt8>.Index
        var line = 1

        init(bytes: ArraySlice<UInt8>, delimiter: UInt8) {
            self.bytes = bytes
            self.delimiter = delimiter
            self.index = bytes.startIndex
        }

        private static let quote = UInt8(ascii: "\"")
        private static let newline = UInt8(ascii: "\n")
        private static let carriageReturn = UInt8(ascii: "\r")

        /// Steps over a line ending at `index` (`\r\n` counts once); false when there is none.
        private mutating func skipLineEnd() -> Bool {
            guard index < bytes.endIndex else { return false }
            if bytes[index] == Self.carriageReturn {
                index += 1
                if index < bytes.endIndex, bytes[index] == Self.newline { index += 1 }
            } else if bytes[index] == Self.newline {
                index += 1
            } else {
                return false
            }
            line += 1
            return true
        }

        mutating func next() -> Record? {
            guard index < bytes.endIndex else { return nil }
            var record = Record(line: line)
            var field: [UInt8] = []
            while true {
                // At the start of a field.
                if index < bytes.endIndex, bytes[index] == Self.quote {
                    record.quoted = true
                    index += 1
                    var closed = false
                    while index < bytes.endIndex {
                        let byte = bytes[index]
                        if byte == Self.quote {
                            if index + 1 < bytes.endIndex, bytes[index + 1] == Self.quote {
                                field.append(Self.quote)
                                index += 2
                                continue
                            }
                            index += 1
                            closed = true
                            break
                        }
                        if byte == Self.newline || (byte == Self.carriageReturn && (index + 1 == bytes.endIndex || bytes[index + 1] != Self.newline))
                        {
                            line += 1
                        }
                        field.append(byte)
                        index += 1
                    }
                    guard closed else {
                        record.problem = .unclosedQuote
                        return record
                    }
                    // After the closing quote: a separator, a line end or the end.
                    if index < bytes.endIndex, bytes[index] != delimiter, bytes[index] != Self.newline, bytes[index] != Self.carriageReturn {
                        record.problem = .textAfterQuote
                        // Skip the rest of this line, so the next record starts on the next.
                        while index < bytes.endIndex, bytes[index] != Self.newline, bytes[index] != Self.carriageReturn { index += 1 }
                        _ = skipLineEnd()
                        return record
                    }
                } else {
                    while index < bytes.endIndex {
                        let byte = bytes[index]
                        if byte == delimiter || byte == Self.newline || byte == Self.carriageReturn { break }
                        field.append(byte)
                        index += 1
                    }
                }
                record.fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                if index < bytes.endIndex, bytes[index] == delimiter {
                    index += 1
                    continue
                }
                _ = skipLineEnd()
                return record
            }
        }
    }
}
