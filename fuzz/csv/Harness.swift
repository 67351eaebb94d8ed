/// `CSVLine`: any values written as a line read back, by an RFC 4180 reader, as the same
/// values (a formula-looking one with its leading `'`), and no cell starts a formula.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
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
