import CommonsContent
import Hummingbird

/// Old addresses keep working: a trailing slash is dropped, and a path the site no longer
/// answers is looked up in the redirects table (renamed posts, the old WordPress site).
struct RedirectMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let site: Site

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.count > 1, path.hasSuffix("/"), request.method == .get || request.method == .head {
            var target = String(path.drop(while: { $0 == "/" }).reversed().drop(while: { $0 == "/" }).reversed())
            target = "/" + target
            // An old WordPress address (they all end in a slash) goes to its new page in one hop.
            if let moved = try await Redirects(database: site.database).target(for: target) {
                return Response.redirect(to: SitePath.localized(moved, in: context.language), type: .permanent)
            }
            // The same query, if any, goes along (WordPress archives carry none, searches do).
            if let query = request.uri.query, !query.isEmpty { target += "?" + query }
            return Response.redirect(to: SitePath.localized(target, in: context.language), type: .permanent)
        }
        // WordPress's `/?p=123`, `/?page_id=7`, `/?cat=3` name old items by query on the home
        // path, which the site answers itself: those are looked up before routing.
        if path == "/", let query = request.uri.query, !query.isEmpty, request.method == .get || request.method == .head,
            let target = try await Redirects(database: site.database).target(for: "/?\(query)")
        {
            return Response.redirect(to: SitePath.localized(target, in: context.language), type: .permanent)
        }
        do {
            return try await next(request, context)
        } catch let error where Self.isNotFound(error) {
            guard request.method == .get || request.method == .head else { throw error }
            if let target = try await Redirects(database: site.database).target(for: path) {
                return Response.redirect(to: SitePath.localized(target, in: context.language), type: .permanent)
            }
            throw error
        }
    }

    static func isNotFound(_ error: any Error) -> Bool {
        if case SiteError.notFound = error { return true }
        if let error = error as? HTTPError, error.status == .notFound { return true }
        return false
    }
}
