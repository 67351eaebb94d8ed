import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// What answers a cached page on the event loop needs from the site, and the answer itself:
/// shared by `CachedPageBytesHandler` (a request read from its bytes) and `CachedPageHandler`
/// (a request NIO decoded), so both answer exactly as the router's path would. One value serves
/// every connection.
struct CachedPages: Sendable {
    let cache: PageCache
    let site: SiteResponder
    let metrics: SiteMetrics
    let logger: Logger

    /// A request answered from the cache.
    struct Answer {
        let response: HTTPResponse
        /// Nil for a 304 and for HEAD.
        let body: ByteBuffer?
        let started: ContinuousClock.Instant
        let route: String
        let method: String
        let path: String
        /// The request said `Connection: close`: the connection closes after the answer.
        let closes: Bool
    }

    private static let staffPrefix = StaffPath.home()

    /// The answer for this head from the cache, or nil when the router should answer it.
    func answer(for head: HTTPRequest, peer: String?) -> Answer? {
        // A request with a body goes to the router, which reads or refuses it.
        guard head.method == .get || head.method == .head, head.headerFields[.contentLength] == nil,
            head.headerFields[.transferEncoding] == nil
        else { return nil }
        let started = ContinuousClock.now
        let arrival = site.arrive(head, peer: peer)
        let uri = URI(arrival.head.path ?? "/")
        // The API and staff pages are never kept; no need to look.
        guard !uri.path.hasPrefix(APIPath.prefix), !uri.path.hasPrefix(Self.staffPrefix) else { return nil }
        let key = HTTPCachingMiddleware.pageKey(language: arrival.language, offer: arrival.languageOffer, uri: uri)
        guard let entry = cache.freshEntry(key) else { return nil }
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

    /// Counts and logs an answer once written, as `RequestLogMiddleware` does for the router's.
    func record(_ answer: Answer, fromBytes: Bool) {
        let elapsed = ContinuousClock.now - answer.started
        var logger = logger
        if logger.logLevel <= .info { logger[metadataKey: "hb.request.id"] = .stringConvertible(RequestID()) }
        RequestLogMiddleware.record(
            method: answer.method,
            path: answer.path,
            route: answer.route,
            status: Int(answer.response.status.code),
            elapsed: elapsed,
            metrics: metrics,
            logger: logger
        )
        metrics.pageCache(hit: true)
        metrics.fastPathAnswer(fromBytes: fromBytes)
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
