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

/// The sitemaps (sitemaps.org 0.9): an index at `/sitemap.xml`, and one sitemap per language.
struct Sitemap {
    /// The protocol's limit of addresses in one sitemap file.
    static let maximumURLs = 50_000
    /// Addresses in one file of ours: well under the protocol's limit, so that a file (about
    /// 1.4 KB an address once each names its 13 languages, 2.8 MB) fits the page cache, which
    /// keeps pages of up to a quarter of its 32 MB. 10,000 posts take 6 files a language.
    static let urlsPerFile = 2_000

    struct Entry {
        let loc: String
        let date: Date?
        /// The same page in every served language (`xhtml:link rel="alternate" hreflang`).
        let alternates: [Layout.Alternate]
        /// `date` as the file prints it, made only for the entries a file holds.
        var lastmod: String? { Sitemap.w3cDate(date) }

        init(loc: String, date: Date?, alternates: [Layout.Alternate] = []) {
            self.loc = loc
            self.date = date
            self.alternates = alternates
        }
    }

    struct IndexEntry {
        let loc: String
        let lastmod: String?
    }

    struct Index {
        let sitemaps: [IndexEntry]
    }

    let entries: [Entry]

    /// How many files a language's addresses take.
    static func parts(_ count: Int) -> Int { max(1, (count + urlsPerFile - 1) / urlsPerFile) }

    /// `/sitemap-es.xml` for the first part, `/sitemap-es-2.xml` for the second.
    static func path(_ language: Language, part: Int) -> String {
        part == 1 ? "/sitemap-\(language.code).xml" : "/sitemap-\(language.code)-\(part).xml"
    }

    /// The language and part a `/sitemap-FILE` names (`es.xml`, `es-2.xml`); nil for anything else.
    static func file(_ file: String, languages: [Language]) -> (Language, Int)? {
        guard file.hasSuffix(".xml"), file.utf8.count <= 24 else { return nil }
        let parts = file.dropLast(4).split(separator: "-", omittingEmptySubsequences: false)
        guard let language = languages.first(where: { $0.code == parts.first.map(String.init) }) else { return nil }
        switch parts.count {
        case 1: return (language, 1)
        case 2:
            // Digits only, no leading zero, within reason: `es-02.xml` is not the same file as `es-2.xml`.
            guard let text = parts.last, text.count <= 4, text.first != "0", text.allSatisfy(\.isASCII), let part = Int(text), part >= 2
            else { return nil }
            return (language, part)
        default: return nil
        }
    }

    /// Each entry's address in `language`, naming its address in every served language.
    static func localized(_ entries: [Entry], in language: Language, baseURL: String, languages: [Language]) -> [Entry] {
        guard languages.count > 1 else { return entries }
        return entries.map { entry -> Entry in
            let path = String(entry.loc.dropFirst(baseURL.count))
            let alternates =
                languages.map { Layout.Alternate(hreflang: $0.tag, url: baseURL + SitePath.localized(path, in: $0)) }
                + [Layout.Alternate(hreflang: "x-default", url: entry.loc)]
            return Entry(loc: baseURL + SitePath.localized(path, in: language), date: entry.date, alternates: alternates)
        }
    }

    /// `2026-12-06T16:22:24Z`: the W3C date, in UTC to the second.
    static func w3cDate(_ date: Date?) -> String? {
        date.map(InternetDate.iso8601)
    }

    /// The urlset, written directly rather than through a template: 10,000 posts with their 13
    /// languages are 140,000 links, which a template walking models by reflection takes seconds over.
    var xml: String {
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">"# + "\n"
        for entry in entries {
            out += "<url><loc>" + XMLText.escape(entry.loc) + "</loc>"
            if let lastmod = entry.lastmod { out += "<lastmod>" + lastmod + "</lastmod>" }
            for alternate in entry.alternates {
                out +=
                    #"<xhtml:link rel="alternate" hreflang=""# + XMLText.escape(alternate.hreflang) + #"" href=""# + XMLText.escape(alternate.url)
                    + #""/>"#
            }
            out += "</url>\n"
        }
        return out + "</urlset>\n"
    }
}

extension Sitemap.Index {
    var xml: String {
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" + #"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"# + "\n"
        for sitemap in sitemaps {
            out += "<sitemap><loc>" + XMLText.escape(sitemap.loc) + "</loc>"
            if let lastmod = sitemap.lastmod { out += "<lastmod>" + lastmod + "</lastmod>" }
            out += "</sitemap>\n"
        }
        return out + "</sitemapindex>\n"
    }
}
