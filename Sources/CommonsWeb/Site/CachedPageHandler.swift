import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Answers a GET (or HEAD) for a page the `PageCache` holds fresh right on the connection's
/// event loop, before Hummingbird hands the request to a task and the router: the same bytes
/// and headers the router's path would send (`CachedPages.answer`), counted and logged the same
/// way. Anything else, and any page not held fresh (the content version not read within the
/// last second, a page past its age), goes on to the router unchanged, which reads the version
/// or renders.
///
/// Most cached pages are answered earlier still, from the request's bytes
/// (`CachedPageBytesHandler`); this one answers those NIO decoded: on a connection that has
/// sent anything else before, or a head that is not of the simple kind.
///
/// It sits after Hummingbird's connection state handler, so graceful shutdown and the idle
/// timeout see its requests and answers; it closes the connection after its answer to a
/// `Connection: close` request, as Hummingbird does. It answers only while no request handed
/// to the router is still being answered, so pipelined answers keep their order, and while the
/// client reads what it is sent (the channel is writable), so a client that sends and never
/// reads meets the router's back-pressure rather than filling memory with answers.
final class CachedPageHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let pages: CachedPages
    /// Requests handed on whose answers have not ended yet.
    private var handedOn = 0
    /// The answer to the request being read, written when its end arrives; while it is set,
    /// the request's remaining parts stop here.
    private var answer: CachedPages.Answer?

    init(pages: CachedPages) {
        self.pages = pages
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if handedOn == 0, context.channel.isWritable,
                let found = pages.answer(for: head, peer: context.channel.remoteAddress?.ipAddress)
            {
                answer = found
                return
            }
            handedOn += 1
            context.fireChannelRead(data)
        case .body:
            if answer == nil { context.fireChannelRead(data) }
        case .end:
            guard let answer else { return context.fireChannelRead(data) }
            self.answer = nil
            write(answer, context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), handedOn > 0 { handedOn -= 1 }
        context.write(data, promise: promise)
    }

    private func write(_ answer: CachedPages.Answer, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(answer.response)), promise: nil)
        if let body = answer.body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
        if answer.closes {
            // As Hummingbird does for `Connection: close`: the answer, then the connection closed.
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
            let channel = context.channel
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        pages.record(answer, fromBytes: false)
    }
}

/// Hummingbird's HTTP/1.1 channel with the cached-page fast paths: `CachedPageBytesHandler`
/// in front of NIO's HTTP decoder, and `CachedPageHandler` after Hummingbird's connection state
/// handler, where Hummingbird's own configuration cannot put a handler, with
/// `ConnectionActivity` between them. Hummingbird's idle timeout would not see requests
/// answered from their bytes, so `http1` comes without one and `ConnectionActivity` keeps it.
struct CachedPageChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let http1: HTTP1Channel
    let pages: CachedPages
    let idleTimeout: TimeAmount?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let state = try operations.handler(type: HTTPConnectionStateHandler.self)
            let activity = ConnectionActivity(timeout: idleTimeout)
            try operations.addHandler(CachedPageHandler(pages: pages), position: .after(state))
            try operations.addHandler(activity, position: .after(state))
            try operations.addHandler(CachedPageBytesHandler(pages: pages, activity: activity), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
