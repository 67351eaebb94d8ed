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
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        metrics.request(
            route: context.endpointPath ?? "unmatched",
            method: request.method.rawValue,
            status: Int(response.status.code),
            duration: elapsed
        )
        context.logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code) \(String(format: "%.1f", milliseconds))ms",
            metadata: [
                "route": .string(context.endpointPath ?? "unmatched"),
                "status": .stringConvertible(Int(response.status.code)),
                "duration_ms": .stringConvertible((milliseconds * 10).rounded() / 10),
            ]
        )
        return response
    }
}
