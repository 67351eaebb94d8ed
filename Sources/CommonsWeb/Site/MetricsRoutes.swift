import Crypto
import Foundation
import Hummingbird
import Logging

/// `/metrics`: on the public port only with `COMMONS_METRICS_TOKEN` as a bearer token (401
/// without it; 404 when no token is set), and on `COMMONS_METRICS_PORT`, a listener of its
/// own (loopback unless `COMMONS_METRICS_HOST` says otherwise) that serves nothing else.
struct MetricsRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.metrics) { request, _ in
            guard let token = site.settings.metricsToken else { throw SiteError.notFound }
            guard let given = request.headers[.authorization], Self.matches(given, token: token) else {
                var headers = HTTPFields()
                headers[.wwwAuthenticate] = "Bearer realm=\"metrics\""
                headers[.cacheControl] = "no-store"
                return Response(status: .unauthorized, headers: headers)
            }
            return await exposition()
        }
    }

    func exposition() async -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: await site.metrics.scrape(pageCache: site.pageCache, store: site.store)))
        )
    }

    /// `Bearer TOKEN`, compared in constant time (as hashes, so the lengths say nothing either).
    static func matches(_ header: String, token: String) -> Bool {
        guard header.hasPrefix("Bearer ") else { return false }
        let given = SHA256.hash(data: Data(header.dropFirst("Bearer ".count).utf8))
        let expected = SHA256.hash(data: Data(token.utf8))
        return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The metrics port's own application: `/metrics` and nothing else, no token asked (it is
    /// reachable only where the operator bound it).
    static func application(site: Site, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let routes = MetricsRoutes(site: site)
        router.get(SitePath.metrics) { _, _ in await routes.exposition() }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil), logger: logger)
    }
}
