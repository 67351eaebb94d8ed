/// One answer of an SMTP server: a three-digit code and its lines of text (RFC 5321 §4.2).
public struct SMTPReply: Sendable, Equatable {
    public let code: Int
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    public var isPositive: Bool { (200..<400).contains(code) }
    public var isTemporaryFailure: Bool { (400..<500).contains(code) }

    /// The code and the first line, cut short; what a log or a staff screen may show. An
    /// enhanced status code (`5.1.1`) is kept, the rest of the words only up to 80 characters,
    /// since servers sometimes repeat the recipient's address there.
    public var summary: String {
        let first = lines.first ?? ""
        let words = first.split(separator: " ", maxSplits: 1).map(String.init)
        if let enhanced = words.first, enhanced.split(separator: ".").count == 3, enhanced.allSatisfy({ $0.isNumber || $0 == "." }) {
            return "\(code) \(enhanced)"
        }
        return "\(code)"
    }

    /// The whole answer, for the operator's `commons mail test`.
    public var text: String { lines.map { "\(code) \($0)" }.joined(separator: "\n") }
}

/// Gathers the lines of a reply (`250-first`, `250-second`, `250 last`) into one `SMTPReply`,
/// checking each as it comes. A hostile or broken server cannot make it hold more than a bounded
/// amount: a line longer than 4,096 bytes, or a reply of more than 200 lines, is an error (and
/// the connection is closed). Knows nothing of sockets, so it is fuzzed on its own.
struct SMTPReplyAssembler {
    static let maximumLine = 4096
    static let maximumLines = 200

    private var code: Int?
    private var lines: [String] = []

    /// Takes one line without its line end; answers the reply it completes, if any.
    mutating func take(_ raw: some Collection<UInt8>) throws(SMTPError) -> SMTPReply? {
        var utf8 = Array(raw)
        if utf8.last == UInt8(ascii: "\r") { utf8.removeLast() }
        guard utf8.count <= Self.maximumLine else { throw .connection("a line from the server was too long") }
        guard utf8.count >= 3, utf8[0..<3].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let lineCode = Int(String(decoding: utf8[0..<3], as: UTF8.self)), (200...599).contains(lineCode),
            utf8.count == 3 || utf8[3] == UInt8(ascii: " ") || utf8[3] == UInt8(ascii: "-")
        else {
            throw .connection("the server's answer was not SMTP")
        }
        if let code, code != lineCode { throw .connection("the server's answer mixed codes") }
        code = lineCode
        lines.append(utf8.count > 4 ? String(decoding: utf8[4...], as: UTF8.self) : "")
        guard lines.count <= Self.maximumLines else { throw .connection("the server's answer was too long") }
        guard utf8.count == 3 || utf8[3] == UInt8(ascii: " ") else { return nil }
        let reply = SMTPReply(code: lineCode, lines: lines)
        code = nil
        lines = []
        return reply
    }
}
