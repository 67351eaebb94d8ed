import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// What a connection's decoded requests are doing: it counts the requests NIO's decoder read
/// and the answers written to them, which tells `CachedPageBytesHandler` when every request it
/// handed to the decoder has been answered (so an answer of its own cannot overtake one), and
/// it closes the connection once idle for `timeout`: no request being answered and nothing read
/// or answered for that long. It keeps Hummingbird's rules (a request whose head has arrived
/// but not its end counts as idle, so a stalled body is closed; a request being answered does
/// not) and adds `noteAnswered()`, which `CachedPageBytesHandler` calls for the pages it
/// answers before any HTTP part exists, so a busy connection served that way stays open.
final class ConnectionActivity: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Nil: never closed for being idle.
    let timeout: TimeAmount?
    private var lastActive = NIODeadline.now()
    /// Requests read whose answers have not ended.
    private(set) var inProgress = 0
    private var isReading = false
    private var check: Scheduled<Void>?

    init(timeout: TimeAmount?) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive, let timeout { schedule(context, at: lastActive + timeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        if let timeout { schedule(context, at: .now() + timeout) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActive = .now()
        switch unwrapInboundIn(data) {
        case .head:
            isReading = true
            inProgress += 1
        case .body: break
        case .end: isReading = false
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            inProgress = max(0, inProgress - 1)
            lastActive = .now()
        }
        context.write(data, promise: promise)
    }

    /// A request was read and answered in front of the HTTP decoder.
    func noteAnswered() {
        lastActive = .now()
    }

    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        guard let timeout else { return }
        check?.cancel()
        check = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) {
            self.check = nil
            let answering = self.inProgress > 0 && !self.isReading
            let due = self.lastActive + timeout
            if !answering, due <= .now() {
                context.close(promise: nil)
            } else {
                // While a request is being answered, look again a whole timeout later.
                self.schedule(context, at: answering ? .now() + timeout : due)
            }
        }
    }
}
