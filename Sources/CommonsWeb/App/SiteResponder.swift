import Hummingbird

/// Answers HEAD as GET without the body (RFC 9110), for link checkers and uptime monitors.
/// It wraps the router, because routes are chosen by method before any middleware runs.
public struct SiteResponder: HTTPResponder {
    public typealias Context = AppRequestContext
    let router: RouterResponder<AppRequestContext>

    public func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await router.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        let response = try await router.respond(to: Request(head: head, body: request.body), context: context)
        // The headers as GET would send them, Content-Length included; no body.
        return Response(status: response.status, headers: response.headers, body: .init())
    }
}
