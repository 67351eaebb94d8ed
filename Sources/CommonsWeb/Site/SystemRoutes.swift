import CommonsContent
import Foundation
import Hummingbird

/// `/healthz` and the fingerprinted assets.
struct SystemRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.health) { _, _ in await health() }
        router.get(SitePath.asset) { request, _ in try await asset(path: request.uri.path) }
        router.get(SitePath.languageChoice) { request, context in
            try chooseLanguage(code: context.parameters.require("code"), next: request.formQueryValue("next"), secure: context.isHTTPS)
        }
    }

    /// Remembers the language a visitor picked in the switcher (a functional cookie: no
    /// tracking, nothing else in it) and goes on to the page they were on, in that language.
    func chooseLanguage(code: String, next: String?, secure isHTTPS: Bool) throws -> Response {
        guard let language = site.languages.first(where: { $0.code == code }) else { throw SiteError.notFound }
        // Only a path on this site: never an open redirect.
        let home = SitePath.home(in: language)
        let target = next.flatMap(SitePath.localRedirectTarget) ?? home
        var response = Response.redirect(to: target, type: .normal)
        let secure = isHTTPS ? "; Secure" : ""
        response.headers[.setCookie] = "\(SiteResponder.languageCookie)=\(language.code); Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly\(secure)"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// 200 after a real query; 503 when the database does not answer.
    func health() async -> Response {
        let kind = site.store.location.kindName
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        do {
            try await site.store.ping()
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok","database":"\#(kind)"}"#)))
        } catch {
            return Response(
                status: .serviceUnavailable,
                headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"unavailable","database":"\#(kind)"}"#))
            )
        }
    }

    func asset(path: String) async throws -> Response {
        var found = site.assets.byPath[path] ?? site.stylesheets.asset(path: path)
        if found == nil, path.hasPrefix("/assets/site.") {
            // A stylesheet with the coalition's colours, asked for before any page made it since the start.
            let look = SiteSettings.look(try await site.siteSettings.all())
            _ = site.stylesheets.path(primary: look.primary, accent: look.accent)
            found = site.stylesheets.asset(path: path)
        }
        guard let asset = found else { throw SiteError.notFound }
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        headers[.contentLength] = String(asset.bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
