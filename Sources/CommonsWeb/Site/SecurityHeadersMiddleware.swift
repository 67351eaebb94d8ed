import HTTPTypes
import Hummingbird

/// Headers every response carries: nothing may load from another origin, no page may be framed
/// (but an embedded form, framed by the partner sites an admin listed: it sets its own policy),
/// no referrer leaves the site, and browsers may not guess content types.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let contentSecurityPolicy = policy(frameAncestors: [])

    /// The policy with the origins that may frame the page (none: `'none'`). Each origin was
    /// checked by `WebAddress.origin` when an admin saved it.
    static func policy(frameAncestors origins: [String]) -> String {
        let ancestors = origins.isEmpty ? "'none'" : origins.joined(separator: " ")
        return "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors \(ancestors); form-action 'self'"
    }

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
        if headers[.contentSecurityPolicy] == nil { headers[.contentSecurityPolicy] = contentSecurityPolicy }
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
