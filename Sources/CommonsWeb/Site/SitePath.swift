import CommonsContent
import CommonsCore
import CommonsImages
import Foundation
import Hummingbird

/// Every public address of the site, each one `Route` value: routes are registered from these
/// and views print links with them, so no view writes a path by hand and no pattern is written
/// twice. Content's addresses come from `ContentPath`, the domain's own record of them (it keeps
/// redirects when a slug changes).
public enum SitePath {
    public static let home = Route("/")
    public static let news = Route("/news")
    static let newsPage = Route("/news/page/:page")
    public static let post = Route(ContentPath.post(":slug"))
    public static let documents = Route("/documents")
    static let documentsPage = Route("/documents/page/:page")
    public static let document = Route(ContentPath.document(":slug"))
    public static let documentFile = Route(ContentPath.documentFile(":slug"))
    public static let datasets = Route("/data")
    /// Also answers `/data/SLUG.csv` (the file as uploaded) and `/data/SLUG.svg` (the chart alone).
    public static let dataset = Route("/data/:slug")
    public static let campaign = Route("/campaigns/:slug")
    public static let campaignThanks = Route("/campaigns/:slug/thanks")
    /// The coalition's member organizations (filtered by `?area=` and `?language=`), and one of them.
    public static let coalition = Route("/coalition")
    public static let member = Route("/coalition/:slug")
    public static let memberLogo = Route("/coalition/:slug/logo")
    /// A campaign's or an event's form alone, for a partner's page to frame (`?via=MEMBER-SLUG`).
    public static let embedCampaign = Route("/embed/campaigns/:slug")
    public static let embedCampaignThanks = Route("/embed/campaigns/:slug/thanks")
    public static let embedEvent = Route("/embed/events/:slug")
    public static let embedEventThanks = Route("/embed/events/:slug/thanks")
    public static let events = Route("/events")
    public static let pastEvents = Route("/events/past")
    /// Also answers `/events/SLUG.ics`, the event's calendar file.
    public static let event = Route("/events/:slug")
    public static let eventThanks = Route("/events/:slug/thanks")
    public static let category = Route(ContentPath.category(":slug"))
    static let categoryPage = Route(ContentPath.category(":slug") + "/page/:page")
    public static let categoryFeed = Route(ContentPath.category(":slug") + "/feed")
    public static let tag = Route(ContentPath.tag(":slug"))
    static let tagPage = Route(ContentPath.tag(":slug") + "/page/:page")
    public static let page = Route(ContentPath.page(":slug"))
    public static let feed = Route("/feed")
    public static let privacy = Route("/privacy")
    /// A supporter's own data: asking for a link (GET, POST), and with a session, the data itself.
    public static let myData = Route("/my-data")
    /// The link sent by email: GET shows one button, POST (the button) starts the session.
    public static let myDataLink = Route("/my-data/:token")
    public static let myDataExport = Route("/my-data/export.json")
    /// In a session: correct one's details, turn email news and text messages on or off, erase everything.
    public static let myDataCorrect = Route("/my-data/correct")
    public static let myDataNews = Route("/my-data/news")
    public static let myDataErase = Route("/my-data/erase")
    /// The link in every mailing that stops them (a signed token: no sign-in needed).
    public static let unsubscribe = Route("/unsubscribe/:token")
    /// The link in a message asking a person to confirm a change to their record.
    public static let confirmChange = Route("/confirm/:token")
    /// The sitemap index; it names `/sitemap-CODE.xml` for each language.
    public static let sitemap = Route("/sitemap.xml")
    /// One language's sitemap (`/sitemap-es.xml`, `/sitemap-es-2.xml` past 50,000 addresses).
    public static let languageSitemap = Route("/sitemap-{file}")
    public static let robots = Route("/robots.txt")
    public static let search = Route("/search")
    public static let health = Route("/healthz")
    static let metrics = Route("/metrics")
    static let languageChoice = Route("/language/:code")
    static let asset = Route("/assets/:name")
    /// The site's logo and link-preview picture: `/site-files/SHA256.svg`.
    static let siteFile = Route("/site-files/:name")
    /// A picture's resized copy: `/images/SHA256-WIDTH.webp` or `.jpg`, never changing meaning.
    static let image = Route("/images/:name")

    // Links that pick between routes or carry a query.

    public static func news(page: Int) -> String { page <= 1 ? news() : newsPage(page) }
    public static func documents(page: Int) -> String { page <= 1 ? documents() : documentsPage(page) }
    public static func category(_ slug: String, page: Int) -> String { page <= 1 ? category(slug) : categoryPage(slug, page) }
    public static func tag(_ slug: String, page: Int) -> String { page <= 1 ? tag(slug) : tagPage(slug, page) }
    static func image(_ sha256: String, width: Int, format: ImageFormat) -> String { image("\(sha256)-\(width).\(format.fileExtension)") }
    public static func eventCalendar(_ slug: String) -> String { event(slug + ".ics") }
    public static func datasetFile(_ slug: String) -> String { dataset(slug + ".csv") }
    public static func datasetChart(_ slug: String) -> String { dataset(slug + ".svg") }
    /// The thanks page names the answer's one-time form id, so only the person who answered
    /// sees what is kept for them (an online meeting's link).
    public static func eventThanks(_ slug: String, formID: String) -> String { "\(eventThanks(slug))?r=\(formID)" }
    public static func embedEventThanks(_ slug: String, formID: String) -> String { "\(embedEventThanks(slug))?r=\(formID)" }
    public static func search(_ query: String, page: Int) -> String {
        var components = URLComponents()
        components.path = search()
        components.queryItems = [URLQueryItem(name: "q", value: query)] + (page > 1 ? [URLQueryItem(name: "page", value: String(page))] : [])
        return components.string ?? search()
    }
    /// Remembers a chosen language (a functional cookie) and goes on to `next`, that page in it.
    public static func languageChoice(_ language: Language, next: String) -> String {
        var components = URLComponents()
        components.path = languageChoice(language.code)
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
}
