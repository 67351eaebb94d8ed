/// Two things that write and read CSV, on the same input.
/// - `CSVLine` (the export): any values written as a line read back, by a plain RFC 4180 reader
///   and by `CSVTable`'s own, as the same values (a formula-looking one with its leading `'`),
///   and no cell starts a formula.
/// - `CSVTable` (dataset uploads): any bytes read as a clean table or refused with a reason,
///   never a crash; a clean table's rows are as wide as its header and start on later lines, its
///   numbers are finite and bounded, and its chart draws as one closed SVG.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    readTable(Array(UnsafeBufferPointer(start: data, count: size)))
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let fields = text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    let line = CSVLine.line(fields)
    precondition(line.hasSuffix("\r\n"))
    // \r\n is one Character: drop the two scalars.
    let read = readRecord(String(String.UnicodeScalarView(line.unicodeScalars.dropLast(2))))
    let expected = fields.map { field -> String in
        guard let first = field.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return field }
        return "'" + field
    }
    precondition(read == expected, "\(fields.debugDescription) read back as \(read.debugDescription)")
    var reader = CSVTable.Reader(bytes: Array(line.utf8)[...], delimiter: UInt8(ascii: ","))
    let record = reader.next()
    precondition(record?.problem == nil && record?.fields == expected, "CSVTable read \(String(describing: record?.fields))")
    precondition(reader.next() == nil)
    for cell in read { precondition(!["=", "+", "-", "@"].contains(cell.unicodeScalars.first ?? " ")) }
    return 0
}

/// A plain RFC 4180 reader for one record.
func readRecord(_ line: String) -> [String] {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var scalars = line.unicodeScalars[...]
    while let scalar = scalars.popFirst() {
        if quoted {
            if scalar == "\"" {
                if scalars.first == "\"" {
                    scalars.removeFirst()
                    current.unicodeScalars.append("\"")
                } else {
                    quoted = false
                }
            } else {
                current.unicodeScalars.append(scalar)
            }
        } else if scalar == "\"" {
            quoted = true
        } else if scalar == "," {
            fields.append(current)
            current = ""
        } else {
            current.unicodeScalars.append(scalar)
        }
    }
    fields.append(current)
    return fields
}

func readTable(_ bytes: [UInt8]) {
    guard let table = try? CSVTable.parse(bytes) else { return }
    precondition(!table.header.isEmpty && table.header.allSatisfy { !$0.isEmpty })
    precondition(table.rows.count == table.lines.count)
    var previous = 1
    for (row, line) in zip(table.rows, table.lines) {
        precondition(row.count == table.header.count && line > previous)
        previous = line
    }
    let decimalComma = table.delimiter == UInt8(ascii: ";")
    var columns: [Column] = []
    for index in table.header.indices {
        let cells = table.rows.map { $0[index] }
        columns.append(Column(name: table.header[index], kind: CellValue.detect(cells, decimalComma: decimalComma)))
        for cell in cells {
            for kind in [ColumnKind.number, .percent] {
                if let value = CellValue.number(cell, kind: kind, decimalComma: decimalComma) {
                    precondition(value.isFinite && abs(value) <= 1e15)
                }
            }
        }
    }
    guard let values = columns.firstIndex(where: { $0.kind != .text }) else { return }
    for kind in ChartKind.allCases {
        let spec = ChartSpec(kind: kind, labelColumn: 0, valueColumns: [values], order: .descending)
        guard let chart = ChartData(table: table, columns: columns, spec: spec) else { preconditionFailure("a number column does not draw") }
        let words = ChartSVG.Words(title: "t", description: "d", noValue: "-") { value, _ in String(value) }
        let svg = ChartSVG(data: chart, kind: kind, words: words, rightToLeft: kind == .line, id: "f").render()
        precondition(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>"))
        // Text from the file never becomes markup.
        precondition(!svg.contains("<script") && !svg.contains("<a ") && !svg.contains("href=\""))
    }
}
