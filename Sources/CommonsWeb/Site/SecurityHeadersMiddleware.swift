import HTTPTypes
import Hummingbird

/// Headers every response carries: nothing may load from another origin, no page may be framed,
/// no referrer leaves the site, and browsers may not guess content types.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let contentSecurityPolicy =
        "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        // TRACE would echo a request's headers (cookies included) back to a script.
        if request.method == .trace || request.method.rawValue == "TRACK" {
            response = Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD, POST"])
        } else {
            response = try await next(request, context)
        }
        Self.add(to: &response.headers, isHTTPS: context.isHTTPS)
        return response
    }

    /// Sets the headers on a response's fields (also what `CachedPageHandler` answers with).
    static func add(to headers: inout HTTPFields, isHTTPS: Bool) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[referrerPolicy] = "no-referrer"
        headers[permissionsPolicy] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        if isHTTPS {
            headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        }
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let permissionsPolicy = HTTPField.Name("Permissions-Policy")!
}
