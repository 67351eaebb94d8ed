import NIOCore

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

/// Cuts the server's bytes into replies. A hostile or broken server cannot make it hold more
/// than a bounded amount: a line longer than 4,096 bytes, or a reply of more than 200 lines,
/// closes the connection.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    static let maximumLine = 4096
    static let maximumLines = 200

    private var code: Int?
    private var lines: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLine { throw SMTPError.connection("a line from the server was too long") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= Self.maximumLine, var line = buffer.readString(length: length) else {
            throw SMTPError.connection("a line from the server was too long")
        }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        let utf8 = Array(line.utf8)
        guard utf8.count >= 3, let lineCode = Int(String(decoding: utf8[0..<3], as: UTF8.self)), (200...599).contains(lineCode),
            utf8.count == 3 || utf8[3] == UInt8(ascii: " ") || utf8[3] == UInt8(ascii: "-")
        else {
            throw SMTPError.connection("the server's answer was not SMTP")
        }
        if let code, code != lineCode { throw SMTPError.connection("the server's answer mixed codes") }
        code = lineCode
        lines.append(utf8.count > 4 ? String(decoding: utf8[4...], as: UTF8.self) : "")
        guard lines.count <= Self.maximumLines else { throw SMTPError.connection("the server's answer was too long") }
        if utf8.count == 3 || utf8[3] == UInt8(ascii: " ") {
            context.fireChannelRead(wrapInboundOut(SMTPReply(code: lineCode, lines: lines)))
            code = nil
            lines = []
        }
        return .continue
    }
}
