import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// Every public address of the site, in one place: routes are registered from these patterns
/// and views print links with these functions, so no view writes a path by hand.
public enum SitePath {
    public static let home = "/"
    public static let news = "/news"
    public static func news(page: Int) -> String { page <= 1 ? news : "/news/page/\(page)" }
    public static func post(_ slug: String) -> String { ContentPath.post(slug) }
    public static let documents = "/documents"
    public static func documents(page: Int) -> String { page <= 1 ? documents : "/documents/page/\(page)" }
    public static func document(_ slug: String) -> String { ContentPath.document(slug) }
    public static func documentFile(_ slug: String) -> String { ContentPath.documentFile(slug) }
    public static func campaign(_ slug: String) -> String { "/campaigns/\(slug)" }
    public static func campaignThanks(_ slug: String) -> String { "/campaigns/\(slug)/thanks" }
    public static let events = "/events"
    public static let pastEvents = "/events/past"
    public static func event(_ slug: String) -> String { "/events/\(slug)" }
    public static func eventCalendar(_ slug: String) -> String { "/events/\(slug).ics" }
    /// The thanks page names the answer's one-time form id, so only the person who answered
    /// sees what is kept for them (an online meeting's link).
    public static func eventThanks(_ slug: String, formID: String) -> String { "/events/\(slug)/thanks?r=\(formID)" }
    public static func category(_ slug: String, page: Int = 1) -> String {
        page <= 1 ? ContentPath.category(slug) : "\(ContentPath.category(slug))/page/\(page)"
    }
    public static func categoryFeed(_ slug: String) -> String { "\(ContentPath.category(slug))/feed" }
    public static func tag(_ slug: String, page: Int = 1) -> String { page <= 1 ? ContentPath.tag(slug) : "\(ContentPath.tag(slug))/page/\(page)" }
    public static func page(_ slug: String) -> String { ContentPath.page(slug) }
    public static let feed = "/feed"
    public static let privacy = "/privacy"
    public static let sitemap = "/sitemap.xml"
    public static let robots = "/robots.txt"
    public static let search = "/search"
    public static func search(_ query: String, page: Int) -> String {
        var components = URLComponents()
        components.path = search
        components.queryItems = [URLQueryItem(name: "q", value: query)] + (page > 1 ? [URLQueryItem(name: "page", value: String(page))] : [])
        return components.string ?? search
    }
    public static let health = "/healthz"
    /// Remembers a chosen language (a functional cookie) and goes on to `next`, that page in it.
    public static func languageChoice(_ language: Language, next: String) -> String {
        var components = URLComponents()
        components.path = "/language/\(language.code)"
        components.queryItems = [URLQueryItem(name: "next", value: next)]
        return components.string ?? components.path
    }

    /// `candidate` when it is a path on this site that a redirect may name: it starts with one
    /// `/`, holds only printable ASCII without a backslash (browsers skip tabs and newlines and
    /// read `\` as `/`, so `/\t/evil.example` would leave the site), and parses with no scheme
    /// and no host. Nil for anything else, so a `next` parameter can never send anyone away.
    public static func localRedirectTarget(_ candidate: String) -> String? {
        guard candidate.utf8.count <= 2048, candidate.hasPrefix("/"), !candidate.hasPrefix("//") else { return nil }
        // Printable ASCII only: what a header may carry as it is, and nothing a browser drops or folds.
        guard candidate.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != "\\" }) else {
            return nil
        }
        guard let components = URLComponents(string: candidate), components.scheme == nil, components.host == nil,
            components.percentEncodedPath.hasPrefix("/"), !components.percentEncodedPath.hasPrefix("//")
        else { return nil }
        return candidate
    }

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
        static let campaignThanks: RouterPath = "/campaigns/:slug/thanks"
        static let events: RouterPath = "/events"
        static let pastEvents: RouterPath = "/events/past"
        static let event: RouterPath = "/events/:slug"
        static let eventThanks: RouterPath = "/events/:slug/thanks"
        static let category: RouterPath = "/category/:slug"
        static let categoryPage: RouterPath = "/category/:slug/page/:page"
        static let categoryFeed: RouterPath = "/category/:slug/feed"
        static let tag: RouterPath = "/tag/:slug"
        static let tagPage: RouterPath = "/tag/:slug/page/:page"
        static let feed: RouterPath = "/feed"
        static let privacy: RouterPath = "/privacy"
        static let sitemap: RouterPath = "/sitemap.xml"
        static let robots: RouterPath = "/robots.txt"
        static let search: RouterPath = "/search"
        static let page: RouterPath = "/:slug"
        static let health: RouterPath = "/healthz"
        static let languageChoice: RouterPath = "/language/:code"
        static let asset: RouterPath = "/assets/:name"
    }
}
