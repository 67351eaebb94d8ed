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
/// and headers the router's path would send (`HTTPCachingMiddleware.answer`, the security
/// headers, `Date`), counted and logged the same way. Anything else, and any page not held
/// fresh (the content version not read within the last second, a page past its age), goes on
/// to the router unchanged, which reads the version or renders.
///
/// It sits after Hummingbird's connection state handler, so the idle timeout and graceful
/// shutdown see its requests and answers; it closes the connection after its answer to a
/// `Connection: close` request, as Hummingbird does. It answers only while no request handed
/// to the router is still being answered, so pipelined answers keep their order.
final class CachedPageHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What the handler needs from the site; one value serves every connection.
    struct Pages: Sendable {
        let cache: PageCache
        let site: SiteResponder
        let metrics: SiteMetrics
        let logger: Logger
    }

    /// A request answered here, waiting for its end to be written.
    struct Answer {
        let response: HTTPResponse
        let body: ByteBuffer?
        let started: ContinuousClock.Instant
        let route: String
        let method: String
        let path: String
        let closes: Bool
    }

    private let pages: Pages
    private static let staffPrefix = StaffPath.home()
    /// Requests handed on whose answers have not ended yet.
    private var handedOn = 0
    /// The answer to the request being read, written when its end arrives; while it is set,
    /// the request's remaining parts stop here.
    private var answer: Answer?

    init(pages: Pages) {
        self.pages = pages
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if handedOn == 0, let found = cachedAnswer(head, peer: context.channel.remoteAddress?.ipAddress) {
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

    private func write(_ answer: Answer, context: ChannelHandlerContext) {
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
        let elapsed = ContinuousClock.now - answer.started
        var logger = pages.logger
        if logger.logLevel <= .info { logger[metadataKey: "hb.request.id"] = .stringConvertible(RequestID()) }
        RequestLogMiddleware.record(
            method: answer.method,
            path: answer.path,
            route: answer.route,
            status: Int(answer.response.status.code),
            elapsed: elapsed,
            metrics: pages.metrics,
            logger: logger
        )
        pages.metrics.pageCache(hit: true)
        pages.metrics.fastPathAnswer()
    }

    /// The answer for this head from the cache, or nil when the router should answer it.
    private func cachedAnswer(_ head: HTTPRequest, peer: String?) -> Answer? {
        // A request with a body goes to the router, which reads or refuses it.
        guard head.method == .get || head.method == .head, head.headerFields[.contentLength] == nil,
            head.headerFields[.transferEncoding] == nil
        else { return nil }
        let started = ContinuousClock.now
        let arrival = pages.site.arrive(head, peer: peer)
        let uri = URI(arrival.head.path ?? "/")
        // The API and staff pages are never kept; no need to look.
        guard !uri.path.hasPrefix(APIPath.prefix), !uri.path.hasPrefix(Self.staffPrefix) else { return nil }
        let key = HTTPCachingMiddleware.pageKey(language: arrival.language, offer: arrival.languageOffer, uri: uri)
        guard let entry = pages.cache.freshEntry(key) else { return nil }
        // As the router's path builds it: the caching middleware's answer, the security
        // headers, HEAD as GET without the body, then Hummingbird's `Date`.
        var (response, body) = HTTPCachingMiddleware.answer(with: entry, to: arrival.head.headerFields)
        SecurityHeadersMiddleware.add(to: &response.headers, isHTTPS: arrival.isHTTPS)
        if arrival.isHead {
            response = Response(status: response.status, headers: response.headers, body: .init())
            body = nil
        }
        response.headers[.date] = DateHeader.now()
        return Answer(
            response: response.head,
            body: body,
            started: started,
            route: entry.route ?? "unmatched",
            method: head.method.rawValue,
            path: uri.path,
            closes: head.headerFields[.connection] == "close"
        )
    }
}

/// The `Date` header as Hummingbird writes it, made once a second.
enum DateHeader {
    private static let cache = Mutex<(second: Int, text: String)>((-1, ""))

    static func now() -> String {
        let now = Date()
        let second = Int(now.timeIntervalSince1970)
        return cache.withLock { cache in
            if cache.second != second { cache = (second, HTTPDate.string(now)) }
            return cache.text
        }
    }
}

/// Hummingbird's HTTP/1.1 channel with `CachedPageHandler` placed after its connection state
/// handler, where Hummingbird's own configuration cannot put a handler.
struct CachedPageChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let http1: HTTP1Channel
    let pages: CachedPageHandler.Pages

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let state = try operations.handler(type: HTTPConnectionStateHandler.self)
            try operations.addHandler(CachedPageHandler(pages: pages), position: .after(state))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
