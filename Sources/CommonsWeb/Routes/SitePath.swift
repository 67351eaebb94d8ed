import Hummingbird

/// Every public address of the site, in one place: routes are registered from these patterns
/// and views print links with these functions, so no view writes a path by hand.
public enum SitePath {
    public static let home = "/"
    public static let news = "/news"
    public static func news(page: Int) -> String { page <= 1 ? news : "/news/page/\(page)" }
    public static func post(_ slug: String) -> String { "/news/\(slug)" }
    public static let documents = "/documents"
    public static func documents(page: Int) -> String { page <= 1 ? documents : "/documents/page/\(page)" }
    public static func document(_ slug: String) -> String { "/documents/\(slug)" }
    public static func documentFile(_ slug: String) -> String { "/documents/\(slug)/file" }
    public static func campaign(_ slug: String) -> String { "/campaigns/\(slug)" }
    public static func category(_ slug: String) -> String { "/category/\(slug)" }
    public static func tag(_ slug: String) -> String { "/tag/\(slug)" }
    public static func page(_ slug: String) -> String { "/\(slug)" }
    public static let feed = "/feed"
    public static let health = "/healthz"

    /// The same path in another language.
    public static func localized(_ path: String, in language: Language) -> String {
        language.pathPrefix.isEmpty ? path : (path == "/" ? language.pathPrefix : language.pathPrefix + path)
    }

    /// Route patterns, as Hummingbird's router reads them.
    enum Pattern {
        static let home: RouterPath = "/"
        static let news: RouterPath = "/news"
        static let newsPage: RouterPath = "/news/page/:page"
        static let post: RouterPath = "/news/:slug"
        static let documents: RouterPath = "/documents"
        static let documentsPage: RouterPath = "/documents/page/:page"
        static let document: RouterPath = "/documents/:slug"
        static let documentFile: RouterPath = "/documents/:slug/file"
        static let campaign: RouterPath = "/campaigns/:slug"
        static let page: RouterPath = "/:slug"
        static let health: RouterPath = "/healthz"
        static let asset: RouterPath = "/assets/:name"
    }
}
