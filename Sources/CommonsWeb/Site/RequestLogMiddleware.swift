import Hummingbird
import Logging
import NIOCore

/// One line per request at info: method, path, status and duration, and as fields the route
/// pattern, the status and the duration (with `LOG_FORMAT=json` each is its own key, beside
/// the request id). Never the query string, a form value, a cookie, a token or an address.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: SiteMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        Self.record(
            method: request.method.rawValue,
            path: request.uri.path,
            route: context.endpointPath ?? "unmatched",
            status: Int(response.status.code),
            elapsed: ContinuousClock.now - start,
            metrics: metrics,
            logger: context.logger
        )
        return response
    }

    /// Counts and logs one answered request (also one `CachedPageHandler` answered).
    static func record(method: String, path: String, route: String, status: Int, elapsed: Duration, metrics: SiteMetrics, logger: Logger) {
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        metrics.request(route: route, method: method, status: status, duration: elapsed)
        logger.info(
            "\(method) \(path) \(status) \(String(format: "%.1f", milliseconds))ms",
            metadata: [
                "route": .string(route),
                "status": .stringConvertible(status),
                "duration_ms": .stringConvertible((milliseconds * 10).rounded() / 10),
            ]
        )
    }
}
