import CommonsCore
import HTTPTypes
import Hummingbird
import HummingbirdCore

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

    /// A request as the site reads it: the client, the scheme, the page's language, the
    /// language to offer, and the head as the router sees it (language prefix taken off, HEAD
    /// as GET).
    struct Arrival {
        var head: HTTPRequest
        var clientAddress: String?
        var isHTTPS: Bool
        var language: Language
        var languageOffer: Language?
        var isHead: Bool
    }

    /// Reads a request's head; shared by the router's path and `CachedPageHandler`'s, so both
    /// see the same page.
    func arrive(_ original: HTTPRequest, peer: String?) -> Arrival {
        let forwarded = trustedProxies.client(
            peer: peer,
            forwardedFor: original.headerFields[.xForwardedFor],
            forwarded: original.headerFields[.forwarded],
            forwardedProto: original.headerFields[.xForwardedProto]
        )
        var head = original
        var language = Language.english
        let uri = URI(original.path ?? "/")
        if let (found, path) = Language.split(path: uri.path, served: languages) {
            language = found
            head.path = path + (uri.query.map { "?" + $0 } ?? "")
        }
        let isHead = head.method == .head
        if isHead { head.method = .get }
        return Arrival(
            head: head,
            clientAddress: forwarded.address,
            isHTTPS: isHTTPS || forwarded.https == true,
            language: language,
            languageOffer: offer(for: original.headerFields, pageLanguage: language),
            isHead: isHead
        )
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let arrival = arrive(request.head, peer: context.clientAddress)
        var context = context
        context.clientAddress = arrival.clientAddress
        context.isHTTPS = arrival.isHTTPS
        context.language = arrival.language
        context.languageOffer = arrival.languageOffer
        let response = try await router.respond(to: Request(head: arrival.head, body: request.body), context: context)
        // HEAD: the headers as GET would send them, Content-Length included; no body.
        return arrival.isHead ? Response(status: response.status, headers: response.headers, body: .init()) : response
    }

    /// The language to offer a switch to: the one the visitor chose before (the cookie), else
    /// the one their browser prefers, when it is served and not the page's. Never a redirect:
    /// that would break links people share.
    func offer(for headers: HTTPFields, pageLanguage: Language) -> Language? {
        guard languages.count > 1 else { return nil }
        if let chosen = Cookies(from: headers[values: .cookie])[Self.languageCookie].flatMap({ code in languages.first { $0.code == code.value } }) {
            return chosen == pageLanguage ? nil : chosen
        }
        let preferred = Language.preferred(acceptLanguage: headers[.acceptLanguage], served: languages)
        return preferred == pageLanguage ? nil : preferred
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwarded = HTTPField.Name("Forwarded")!
}
