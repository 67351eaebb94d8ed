import CommonsAccounts
import CommonsCore
import Foundation
import HTTPTypes
import Hummingbird

/// On every staff route: finds the session from its cookie, refuses state-changing requests
/// without the session's CSRF token or from another site, and keeps staff pages out of caches.
struct StaffSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "commons_session"
    /// Paths that take a POST before anyone is signed in; they carry a signed form token instead.
    static let openPaths: Set<String> = [StaffPath.login(), StaffPath.loginCode()]
    /// The largest document (25 MB) and the form around it.
    static let uploadLimit = 25 * 1024 * 1024 + 64 * 1024

    let site: Site

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let desk = SignInDesk(database: site.database, clock: site.clock)
        if let token = request.cookies[Self.cookieName]?.value, let (account, session) = try await desk.session(token: token) {
            context.staff = StaffIdentity(
                accountID: try account.requireID(),
                email: account.email,
                name: account.name,
                role: account.role,
                csrfToken: session.csrfToken,
                sessionToken: token,
                hasTwoFactor: account.hasTwoFactor,
                mustEnrol: site.settings.requireTwoFactor.contains(account.role) && !account.hasTwoFactor,
                stepUpFresh: desk.isFresh(session)
            )
        }
        if request.method != .get && request.method != .head {
            try checkOrigin(request)
            if !Self.openPaths.contains(request.uri.path) {
                guard let staff = context.staff else { throw StaffAccessError.notSignedIn }
                // The token comes in the form; reading the body here keeps every handler from forgetting.
                // Document uploads (multipart) may be as large as a document; other forms are small.
                let boundary = MultipartForm.boundary(of: request.headers[.contentType])
                let body = try await request.body.collect(upTo: BodyLimitMiddleware.limit(for: request, context: context))
                let form =
                    try boundary.map { try MultipartForm.parse(body, boundary: $0) } ?? MultipartForm(fields: FormFields.parse(String(buffer: body)))
                guard let sent = form.fields["csrf_token"], ConstantTime.equal(sent, staff.csrfToken) else { throw StaffAccessError.badCSRFToken }
                var context = context
                context.staffForm = form
                return try await noStore(next(request, context))
            }
        }
        return try await noStore(next(request, context))
    }

    /// A request from a page of another site is refused whatever it carries. Browsers say where
    /// a request comes from in `Sec-Fetch-Site`; `Origin` is checked when it names an origin
    /// (with `Referrer-Policy: no-referrer` browsers send `Origin: null` on every form post).
    func checkOrigin(_ request: Request) throws {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" {
            throw StaffAccessError.badCSRFToken
        }
        guard let origin = request.headers[.origin], origin != "null" else { return }
        let ownHost = request.head.authority ?? ""
        guard let url = URL(string: origin), let host = url.host else { throw StaffAccessError.badCSRFToken }
        let port = url.port.map { ":\($0)" } ?? ""
        let base = URL(string: site.settings.baseURL)
        // The scheme is part of the origin: an http:// page must not post to an https:// site.
        guard url.scheme?.lowercased() == base?.scheme?.lowercased() else { throw StaffAccessError.badCSRFToken }
        let matchesBase = base?.host == host && base?.port == url.port
        guard matchesBase || "\(host)\(port)" == ownHost else { throw StaffAccessError.badCSRFToken }
    }

    func noStore(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "no-store"
        return response
    }

}
