import NIOCore

/// Cuts the server's bytes into lines for `SMTPReplyAssembler`, and never buffers more than one
/// line's limit while waiting for a line end.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    private var assembler = SMTPReplyAssembler()

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > SMTPReplyAssembler.maximumLine + 1 { throw SMTPError.connection("a line from the server was too long") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard let line = buffer.readBytes(length: length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        if let reply = try assembler.take(line) { context.fireChannelRead(wrapInboundOut(reply)) }
        return .continue
    }
}
