import HTTPTypes
import NIOCore

/// Answers a cached page from the request's bytes, in front of NIO's HTTP decoder: the head is
/// read strictly (`SimpleRequestHead`), the answer is `CachedPages.answer`'s, and it is written
/// as the bytes NIO's HTTP/1.1 encoder would write for it. This skips the decoder, the
/// conversion of the head to HTTPTypes and back, and the encoder, which together took most of
/// a cached request's time (`docs/ARCHITECTURE.md`, "Where the time goes").
///
/// Answers never overtake one another: a simple head it does not answer (a page not held
/// fresh, the API, a staff page) goes to the decoder whole, and it answers again only once
/// `ConnectionActivity` has seen every request the decoder read answered. Bytes that are not
/// a whole simple head (half a head, a request with a body, an upgrade) go to the decoder with
/// all that follows, for the rest of the connection, so the decoder never sees a request begin
/// half-way; `CachedPageHandler` still answers cached pages there, after decoding.
/// It also stops answering while the client is not reading its answers (the channel is not
/// writable): the decoder's path then applies back-pressure, where this one would pile
/// answers up.
final class CachedPageBytesHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let pages: CachedPages
    private let activity: ConnectionActivity
    /// Set once bytes that are not a whole simple head went on to the decoder: from then on
    /// everything does.
    private var passing = false
    /// Set once a `Connection: close` request was answered: what follows is dropped.
    private var closing = false
    private var peer: String??

    init(pages: CachedPages, activity: ConnectionActivity) {
        self.pages = pages
        self.activity = activity
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !passing else { return context.fireChannelRead(data) }
        guard !closing else { return }
        var buffer = unwrapInboundIn(data)
        var answered = false
        while buffer.readableBytes > 0, !closing {
            guard let head = buffer.withUnsafeReadableBytes({ SimpleRequestHead.parse($0) }),
                let request = Self.request(from: head)
            else {
                passing = true
                break
            }
            guard activity.inProgress == 0, context.channel.isWritable,
                let answer = pages.answer(for: request, peer: peerAddress(context)),
                let bytes = Self.encode(answer.response, allocator: context.channel.allocator)
            else {
                // The decoder reads this one whole; this handler answers again once it is answered.
                context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: head.length)!))
                continue
            }
            buffer.moveReaderIndex(forwardBy: head.length)
            // With `Connection: close`, the connection closes once the answer is written.
            let written = answer.closes ? context.eventLoop.makePromise(of: Void.self) : nil
            context.write(wrapOutboundOut(bytes), promise: answer.body == nil ? written : nil)
            if let body = answer.body { context.write(wrapOutboundOut(body), promise: written) }
            answered = true
            pages.record(answer, fromBytes: true)
            if let written {
                closing = true
                let channel = context.channel
                written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            }
        }
        if answered {
            activity.noteAnswered()
            context.flush()
        }
        if passing, buffer.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(buffer)) }
    }

    private func peerAddress(_ context: ChannelHandlerContext) -> String? {
        if let peer { return peer }
        let found = context.channel.remoteAddress?.ipAddress
        peer = .some(found)
        return found
    }

    /// Field names whose presence sends a request to the decoder: a body, or a change of protocol.
    private static let decoderOnly: Set<String> = ["content-length", "transfer-encoding", "upgrade", "expect", "te"]

    /// The request as NIO's decoder and `HTTP1ToHTTPServerCodec` would give it to Hummingbird
    /// (the first `Host` as the authority, each cookie its own field), or nil when the decoder
    /// should read it: a body is declared, or `Connection` says more than `close` or
    /// `keep-alive`.
    static func request(from head: SimpleRequestHead) -> HTTPRequest? {
        var fields = HTTPFields()
        fields.reserveCapacity(head.fields.count)
        var authority: String?
        var connections = 0
        for field in head.fields {
            let lowered = field.name.lowercased()
            guard !decoderOnly.contains(lowered), let name = HTTPField.Name(field.name) else { return nil }
            if lowered == "connection" {
                connections += 1
                guard connections == 1, field.value == "close" || field.value == "keep-alive" else { return nil }
            }
            if lowered == "host", authority == nil {
                authority = field.value
            } else if name == .cookie {
                for cookie in field.value.split(separator: "; ", omittingEmptySubsequences: false) {
                    fields.append(HTTPField(name: name, value: String(cookie)))
                }
            } else {
                fields.append(HTTPField(name: name, value: field.value))
            }
        }
        return HTTPRequest(
            method: head.isHead ? .head : .get,
            scheme: "http",
            authority: authority,
            path: head.target,
            headerFields: fields
        )
    }

    /// The status line and fields as NIO's `HTTPResponseEncoder` writes them for this response
    /// (HTTP/1.1, each field as it is named, a body's framing by its `Content-Length`, none on
    /// a 304), or nil for an answer it would frame otherwise.
    static func encode(_ response: HTTPResponse, allocator: ByteBufferAllocator) -> ByteBuffer? {
        let bodiless = response.status == .notModified
        guard bodiless || response.headerFields[.contentLength] != nil else { return nil }
        var buffer = allocator.buffer(capacity: 640)
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(response.status.code))
        buffer.writeStaticString(" ")
        buffer.writeString(response.status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        for field in response.headerFields {
            if bodiless, field.name == .contentLength || field.name == .transferEncoding { continue }
            buffer.writeString(field.name.rawName)
            buffer.writeStaticString(": ")
            buffer.writeString(field.value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        return buffer
    }
}
