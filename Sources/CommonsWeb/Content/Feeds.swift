import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation

/// An RSS 2.0 channel: the site's news, or one category's.
struct RSSFeed {
    struct Item {
        let title: String
        let link: String
        let pubDate: String
        /// The post's HTML, escaped into the element's text as RSS expects.
        let descriptionHTML: String
        let categories: [String]
    }

    static let itemCount = 20

    let title: String
    let link: String
    let selfURL: String
    let description: String
    let language: String
    let lastBuildDate: String?
    let items: [Item]

    init(title: String, link: String, selfURL: String, description: String, language: Language, posts: [Post], baseURL: String) {
        self.title = title
        self.link = link
        self.selfURL = selfURL
        self.description = description
        self.language = language.code
        items = posts.map { post in
            let body = post.bodyHTML
            let summary = post.summary.isEmpty ? "" : "<p>\(HTMLText.escape(post.summary))</p>"
            return Item(
                title: post.title,
                link: baseURL + SitePath.post(in: language, post.slug),
                pubDate: Self.rfc822(post.publishAt ?? Date(timeIntervalSince1970: 0)),
                descriptionHTML: summary + Self.absolutizingLinks(in: body, baseURL: baseURL),
                categories: post.categories.map(\.name)
            )
        }
        lastBuildDate = posts.first?.publishAt.map(Self.rfc822)
    }

    /// RFC 822 dates, as RSS 2.0 requires: "Thu, 08 Dec 2016 17:00:00 GMT".
    static func rfc822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    /// Feed readers show items away from the site, so its own links must be absolute.
    static func absolutizingLinks(in html: String, baseURL: String) -> String {
        html.replacingOccurrences(of: "href=\"/", with: "href=\"\(baseURL)/").replacingOccurrences(of: "src=\"/", with: "src=\"\(baseURL)/")
    }
}

/// `/sitemap.xml`: every public address with its last change.
struct Sitemap {
    struct Entry {
        let loc: String
        let lastmod: String?
        /// The same page in every served language (`xhtml:link rel="alternate" hreflang`).
        var alternates: [Layout.Alternate] = []
    }

    let entries: [Entry]

    /// One entry per page and language, each naming all of its languages.
    static func localized(_ entries: [Entry], baseURL: String, languages: [Language]) -> [Entry] {
        guard languages.count > 1 else { return entries }
        return entries.flatMap { entry -> [Entry] in
            let path = String(entry.loc.dropFirst(baseURL.count))
            let alternates =
                languages.map { Layout.Alternate(hreflang: $0.tag, url: baseURL + SitePath.localized(path, in: $0)) }
                + [Layout.Alternate(hreflang: "x-default", url: entry.loc)]
            return languages.map { Entry(loc: baseURL + SitePath.localized(path, in: $0), lastmod: entry.lastmod, alternates: alternates) }
        }
    }

    static func w3cDate(_ date: Date?) -> String? {
        guard let date else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
