import CommonsCore
import HTTPTypes
import Hummingbird

/// What wraps the router: it works out who the client is (behind a trusted proxy, the address
/// and scheme the proxy names), reads the language from the path's first segment (`/es/news` is
/// the Spanish `/news`) and the language a visitor might prefer to be offered, and answers
/// HEAD as GET without the body (RFC 9110), for link checkers and uptime monitors. It wraps
/// the router because routes are chosen by path and method before any middleware runs.
public struct SiteResponder: HTTPResponder {
    public typealias Context = AppRequestContext
    let router: RouterResponder<AppRequestContext>
    /// The languages with a catalog; English first.
    let languages: [Language]
    /// The reverse proxies whose forwarding headers are believed.
    var trustedProxies: TrustedProxies = .none
    /// Whether the site's own address is https.
    var isHTTPS = false

    /// The functional cookie that remembers a visitor's chosen language.
    static let languageCookie = "commons_language"

    public func respond(to request: Request, context: Context) async throws -> Response {
        var context = context
        let forwarded = trustedProxies.client(
            peer: context.clientAddress,
            forwardedFor: request.headers[.xForwardedFor],
            forwarded: request.headers[.forwarded],
            forwardedProto: request.headers[.xForwardedProto]
        )
        context.clientAddress = forwarded.address
        context.isHTTPS = isHTTPS || forwarded.https == true
        var head = request.head
        if let (language, path) = Language.split(path: request.uri.path, served: languages) {
            context.language = language
            head.path = path + (request.uri.query.map { "?" + $0 } ?? "")
        }
        context.languageOffer = offer(for: request, pageLanguage: context.language)
        let isHead = head.method == .head
        if isHead { head.method = .get }
        let response = try await router.respond(to: Request(head: head, body: request.body), context: context)
        // HEAD: the headers as GET would send them, Content-Length included; no body.
        return isHead ? Response(status: response.status, headers: response.headers, body: .init()) : response
    }

    /// The language to offer a switch to: the one the visitor chose before (the cookie), else
    /// the one their browser prefers, when it is served and not the page's. Never a redirect:
    /// that would break links people share.
    func offer(for request: Request, pageLanguage: Language) -> Language? {
        guard languages.count > 1 else { return nil }
        if let chosen = request.cookies[Self.languageCookie].flatMap({ code in languages.first { $0.code == code.value } }) {
            return chosen == pageLanguage ? nil : chosen
        }
        let preferred = Language.preferred(acceptLanguage: request.headers[.acceptLanguage], served: languages)
        return preferred == pageLanguage ? nil : preferred
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwarded = HTTPField.Name("Forwarded")!
}
