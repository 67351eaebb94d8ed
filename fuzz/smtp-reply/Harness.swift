/// `SMTPReplyAssembler`: any bytes from a server, cut at line ends, either make replies whose
/// codes are 200–599 and whose lines number at most 200, or an error; never a crash, and never
/// more kept than the limits allow. A reply's summary never holds more than the code and an
/// enhanced status code (it goes to logs).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var assembler = SMTPReplyAssembler()
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        do {
            guard let reply = try assembler.take(line) else { continue }
            precondition((200...599).contains(reply.code))
            precondition(!reply.lines.isEmpty && reply.lines.count <= SMTPReplyAssembler.maximumLines)
            precondition(reply.lines.allSatisfy { $0.utf8.count <= SMTPReplyAssembler.maximumLine })
            let summary = reply.summary
            precondition(summary.hasPrefix(String(reply.code)) && summary.utf8.count <= 3 + 1 + reply.lines[0].utf8.count)
            precondition(!summary.contains("@"))
        } catch {
            return 0  // the connection would be closed here
        }
    }
    return 0
}
