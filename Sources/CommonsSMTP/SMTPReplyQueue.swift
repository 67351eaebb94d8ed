import NIOCore

/// Hands the server's replies to whoever waits for them, in order. It lives on its channel's
/// event loop and is touched only there (every call below is made through that loop).
final class SMTPReplyQueue: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = SMTPReply

    private var waiting = CircularBuffer<(promise: EventLoopPromise<SMTPReply>, deadline: Scheduled<Void>)>()
    private var arrived = CircularBuffer<SMTPReply>()
    private var failure: SMTPError?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// The next reply, or a failure after `timeout`; a timeout closes the connection, since the
    /// replies after it would no longer match their commands.
    func next(on eventLoop: any EventLoop, timeout: TimeAmount, step: String) -> EventLoopFuture<SMTPReply> {
        eventLoop.preconditionInEventLoop()
        if let reply = arrived.popFirst() { return eventLoop.makeSucceededFuture(reply) }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        let deadline = eventLoop.scheduleTask(in: timeout) { [self] in
            fail(with: .timeout(step))
            context?.close(promise: nil)
        }
        waiting.append((promise, deadline))
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        if let first = waiting.popFirst() {
            first.deadline.cancel()
            first.promise.succeed(reply)
        } else {
            arrived.append(reply)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(with: .connection("the server closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(with: (error as? SMTPError) ?? .connection(SMTPConnection.describe(error)))
        context.close(promise: nil)
    }

    private func fail(with error: SMTPError) {
        if failure == nil { failure = error }
        while let first = waiting.popFirst() {
            first.deadline.cancel()
            first.promise.fail(failure ?? error)
        }
    }
}
