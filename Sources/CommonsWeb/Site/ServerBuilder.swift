import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore

/// The HTTP server the site runs on: HTTP/1.1, or with a certificate HTTP/2 where the client
/// offers it (ALPN) and HTTP/1.1 otherwise; every connection and stream guarded alike
/// (`ConnectionGuard`). Over plain HTTP/1.1 (the usual place behind a reverse proxy) cached
/// pages are answered on the event loop, most from the request's bytes before HTTP decoding
/// (`CachedPageBytesHandler`, `CachedPageHandler`), when the page cache is on.
func serverBuilder(
    settings: Settings,
    site: Site,
    responder: SiteResponder,
    logger: Logger
) throws -> (HTTPServerBuilder, TLSCertificates?) {
    let limits = settings.connectionLimits
    let counter = ConnectionCounter()
    let guardHandlers: @Sendable () -> [any RemovableChannelHandler] = {
        [ConnectionGuard(limits: limits, counter: counter, exempt: settings.trustedProxies)]
    }
    let idle = Duration.seconds(limits.idleTimeout.components.seconds)
    let idleAmount = TimeAmount.seconds(limits.idleTimeout.components.seconds)
    if let certificate = settings.tlsCertificate, let key = settings.tlsKey {
        let loaded = try TLSCertificates(certificate: certificate, key: key)
        let server = try HTTPServerBuilder.http2Upgrade(
            tlsConfiguration: loaded.configuration,
            configuration: .init(
                idleTimeout: idle,
                streamConfiguration: .init(additionalChannelHandlers: guardHandlers(), idleTimeout: idleAmount)
            )
        )
        return (server, loaded)
    }
    let configuration = HTTP1Channel.Configuration(additionalChannelHandlers: guardHandlers(), idleTimeout: idleAmount)
    guard let cache = site.pageCache else { return (.http1(configuration: configuration), nil) }
    let pages = CachedPages(cache: cache, site: responder, metrics: site.metrics, logger: logger)
    // `ConnectionIdleTimer` keeps the idle timeout instead of Hummingbird (see `CachedPageChannel`).
    let withoutIdleTimeout = HTTP1Channel.Configuration(additionalChannelHandlers: guardHandlers(), idleTimeout: nil)
    let server = HTTPServerBuilder { respond in
        CachedPageChannel(
            http1: HTTP1Channel(responder: respond, configuration: withoutIdleTimeout),
            pages: pages,
            idleTimeout: idleAmount
        )
    }
    return (server, nil)
}
