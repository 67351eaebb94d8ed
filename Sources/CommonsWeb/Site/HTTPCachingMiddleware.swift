import CommonsCore
import CompressNIO
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

/// Public pages come from memory, revalidate instead of downloading again, and travel
/// compressed: a rendered page is kept in the `PageCache` with its gzip form made once; each
/// representation has a strong ETag (SHA-256 of its bytes) answering `If-None-Match` with 304,
/// and `Last-Modified` answering `If-Modified-Since`.
///
/// Caching is opt-in: only a response its handler marked `sharedCacheable()` is kept or marked
/// public; any response that says nothing about caching leaves as `private, no-store`, so a
/// page with a one-time form token cannot be served to someone else by a forgotten line.
/// Responses with their own validators (document files) are left alone.
struct HTTPCachingMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// Smaller bodies gain nothing from gzip.
    static let minimumCompressedSize = 860
    static let textTypes = ["text/html", "text/css", "text/plain", "text/calendar", "application/rss+xml", "application/xml", "application/json"]

    /// Nil when the page cache is turned off (`COMMONS_PAGE_CACHE_MB=0`): pages still get validators and gzip.
    let cache: PageCache?
    /// Hits and misses are counted here.
    var metrics: SiteMetrics? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The API answers each token for itself and says `no-store`: nothing of it is kept.
        if request.uri.path.hasPrefix(APIPath.prefix) { return Self.privateUnlessSaid(try await next(request, context)) }
        guard request.method == .get else {
            let response = try await next(request, context)
            // A change made here shows on this server's very next page.
            if let cache, request.uri.path.hasPrefix(StaffPath.home()) { await cache.refresh() }
            return Self.privateUnlessSaid(response)
        }
        let key = Self.pageKey(language: context.language, offer: context.languageOffer, uri: request.uri)
        var version: Int64?
        // This request renders the page for the others that asked meanwhile, and must end that.
        var claimed = false
        if let cache {
            version = await cache.currentVersion()
            if let version {
                switch await cache.lookup(key, version: version) {
                case .hit(let entry):
                    metrics?.pageCache(hit: true)
                    return Self.respond(with: entry, to: request)
                case .render(let claim):
                    metrics?.pageCache(hit: false)
                    claimed = claim
                }
            }
        }
        do {
            let entry = try await render(request, context: context, next: next, keep: cache != nil && version != nil)
            if claimed, let cache, let version { cache.finish(key, entry: entry.kept, version: version) }
            return entry.response
        } catch {
            if claimed, let cache, let version { cache.finish(key, entry: nil, version: version) }
            throw error
        }
    }

    /// The page's key in the cache: the path lost its language prefix on the way in, so the
    /// language and the offer shown are part of it.
    static func pageKey(language: Language, offer: Language?, uri: URI) -> String {
        "\(language.code) \(offer?.code ?? "-") \(cacheKey(path: uri.path, query: uri.query))"
    }

    /// What `sharedCacheable()` marks: any cache may keep the page, and must ask again before reusing it.
    static let sharedCacheControl = "public, max-age=0, must-revalidate"

    /// The response as it was when its handler said how to cache it; `private, no-store` when it said nothing.
    static func privateUnlessSaid(_ response: Response) -> Response {
        guard response.headers[.cacheControl] == nil else { return response }
        var response = response
        response.headers[.cacheControl] = "private, no-store"
        return response
    }

    /// Query parameters some public page reads; every other one is left out of the cache key,
    /// so `/sitemap.xml?x=RANDOM` is the cached sitemap, not a new render and a new entry.
    static let pageQueryParameters: Set<String> = ["q", "page", "area", "language"]

    /// The path, and the query parameters a page reads in a fixed order.
    static func cacheKey(path: String, query: String?) -> String {
        guard let query, !query.isEmpty else { return path }
        let kept = FormFields.parse(query).filter { pageQueryParameters.contains($0.key) }.sorted { $0.key < $1.key }
        guard !kept.isEmpty else { return path }
        return path + "?"
            + kept.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    /// Renders the page; for a cacheable text response, also the entry to keep (when `keep`).
    private func render(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response,
        keep: Bool
    ) async throws -> (response: Response, kept: PageCache.Entry?) {
        let response = Self.privateUnlessSaid(try await next(request, context))
        guard response.status == .ok, response.headers[.contentEncoding] == nil, response.headers[.eTag] == nil,
            let type = response.headers[.contentType], Self.textTypes.contains(where: type.hasPrefix),
            response.headers[.cacheControl] == Self.sharedCacheControl
        else { return (response, nil) }
        let keep = keep && response.headers[.setCookie] == nil
        var entry = try await Self.entry(for: response, compress: keep || Self.acceptsGzip(request.headers[.acceptEncoding]))
        entry.route = context.endpointPath
        return (Self.respond(with: entry, to: request), keep ? entry : nil)
    }

    /// Makes the cacheable form of a rendered page: its bytes, gzipped bytes and validators.
    static func entry(for response: Response, compress: Bool) async throws -> PageCache.Entry {
        let body = try await collect(response.body)
        var headers = response.headers
        headers[.contentLength] = nil
        headers[.vary] = "Accept-Encoding, Accept-Language, Cookie"
        var gzipped: ByteBuffer?
        if compress && body.readableBytes >= minimumCompressedSize {
            var source = body
            gzipped = try source.compress(with: .gzip())
        }
        let digest = Hex.string(SHA256.hash(data: Data(body.readableBytesView)).prefix(16))
        return PageCache.Entry(
            headers: headers,
            body: body,
            gzipped: gzipped,
            etag: digest,
            lastModified: HTTPDate.string(Date()),
            storedAt: .now
        )
    }

    /// The entry as this request wants it: 304 when its validators match, else the plain or gzipped bytes.
    static func respond(with entry: PageCache.Entry, to request: Request) -> Response {
        answer(with: entry, to: request.headers).response
    }

    /// The answer `respond` gives, with its body's bytes (nil for a 304): what
    /// `CachedPageHandler` writes on the event loop.
    static func answer(with entry: PageCache.Entry, to request: HTTPFields) -> (response: Response, body: ByteBuffer?) {
        var headers = entry.headers
        let gzipped = acceptsGzip(request[.acceptEncoding]) ? entry.gzipped : nil
        // Each representation has its own strong ETag.
        let etag = "\"\(entry.etag)\(gzipped != nil ? "-gz" : "")\""
        headers[.eTag] = etag
        headers[.lastModified] = entry.lastModified
        if notModified(request, etag: etag, lastModified: entry.lastModified) {
            headers[.contentType] = nil
            return (Response(status: .notModified, headers: headers), nil)
        }
        let body = gzipped ?? entry.body
        if gzipped != nil { headers[.contentEncoding] = "gzip" }
        headers[.contentLength] = String(body.readableBytes)
        return (Response(status: .ok, headers: headers, body: .init(byteBuffer: body)), body)
    }

    /// `If-None-Match` decides when sent (RFC 9110 13.2.2); otherwise `If-Modified-Since`.
    static func notModified(_ request: HTTPFields, etag: String, lastModified: String) -> Bool {
        if let match = request[.ifNoneMatch] {
            return match.split(separator: ",").contains {
                let tag = $0.trimmingCharacters(in: .whitespaces)
                return tag == etag || tag == "*"
            }
        }
        guard let since = request[.ifModifiedSince].flatMap(HTTPDate.parse),
            let modified = HTTPDate.parse(lastModified)
        else { return false }
        return modified <= since
    }

    /// `gzip` listed without `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { return false }
            return !parts.dropFirst().contains { $0 == "q=0" || $0 == "q=0.0" || $0 == "q=0.00" || $0 == "q=0.000" }
        }
    }

    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = Collector()
        try await body.write(collector)
        return collector.storage.buffer
    }

    /// Gathers a response body in memory; our pages are built as one buffer anyway.
    struct Collector: ResponseBodyWriter {
        final class Storage: @unchecked Sendable {
            var buffer = ByteBuffer()
        }
        let storage = Storage()

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            storage.buffer.writeBuffer(&buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

extension Response {
    /// The same response, marked for every cache to keep: only for pages that are the same for
    /// everyone (no form token, no personal data, no cookie). See `HTTPCachingMiddleware`.
    func sharedCacheable() -> Response {
        var response = self
        response.headers[.cacheControl] = HTTPCachingMiddleware.sharedCacheControl
        return response
    }
}
