import CommonsCore
import Hummingbird

/// What every request carries through the site: Hummingbird's core, and the reader's language.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The language the page is served in, from its URL.
    public var language: Language = .english
    /// Another served language this visitor may want, offered in one line on the page.
    public var languageOffer: Language?

    /// The client's IP address, for the in-memory rate limits only: never logged or stored. The
    /// connection's address, or the one a trusted proxy names (see `TrustedProxies`).
    public var clientAddress: String?
    /// Whether the visitor reached the site over HTTPS: the site's address is https, or a
    /// trusted proxy said so. Cookies are `Secure` and HSTS is sent when it is.
    public var isHTTPS = false
    /// The signed-in staff member, on staff routes.
    public var staff: StaffIdentity?
    /// A staff form as the session middleware read it to check its CSRF token: read once, and
    /// handlers take it from here (fields, and a document upload's file).
    var staffForm: MultipartForm?
    /// The partner tool behind an API request, once its token is checked.
    var apiClient: APIClient?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Public forms are small; document uploads raise this on their own routes.
    public var maxUploadSize: Int { 64 * 1024 }
}
