import CommonsAccounts
import CommonsContent
import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import Hummingbird

/// Everything a handler needs, built once at start-up and shared by every request.
struct Site: Sendable {
    let settings: Settings
    let services: Services
    let store: CommonsDatabase
    let views: Views
    let catalogs: StringCatalogs
    let assets: Assets
    /// The stylesheet with the coalition's colours.
    let stylesheets: Stylesheets
    let keys: DataKeys
    /// Public form submissions per client; held in memory only, never written anywhere.
    let formLimiter: RateLimiter
    /// Failed staff sign-ins per client, in memory only.
    /// API requests per token per minute, in memory only.
    let apiLimiter: RateLimiter
    /// Requests with an unknown API token per client address, in memory only.
    let apiFailureLimiter = RateLimiter(limit: 30, window: .seconds(60))
    /// Public form submissions are written through this one writer, which commits them in groups.
    let actionWriter: ActionWriter
    /// Rendered public pages; nil when turned off.
    let pageCache: PageCache?
    /// Records public forms post to, kept while the content version stands.
    let contentLookups = ContentLookups()
    /// What `/metrics` reports.
    let metrics: SiteMetrics
    /// The API's OpenAPI 3.1 document, served as it is in the bundle.
    let openAPIDocument: Data
    /// Links asked for one address (by its hash) on `/my-data`: three an hour, in memory only.
    let myDataLimiter = RateLimiter(limit: 3, window: .seconds(3600))
    /// Wrong sign-ins per client address (any emails) before that client must wait: in memory only.
    let signInLimiter = RateLimiter(limit: 2 * SignInDesk.failureLimit, window: .seconds(Int64(SignInDesk.failureWindow)))

    /// The languages with a catalog, in the switcher's order.
    var languages: [Language] { Language.known.filter { catalogs.catalogs[$0.code] != nil } }

    var database: any Database { store.database }
    var clock: Clock { services.clock }

    var newsroom: Newsroom { Newsroom(database: database, clock: clock) }
    var pages: Pages { Pages(database: database, clock: clock) }
    var library: DocumentLibrary { DocumentLibrary(database: database, clock: clock) }
    var images: ImageLibrary { ImageLibrary(database: database) }
    var data: DataLibrary { DataLibrary(database: database) }
    var campaigns: CampaignDirectory { CampaignDirectory(database: database) }
    var coalition: Coalition { Coalition(database: database) }
    var events: EventDirectory { EventDirectory(database: database, clock: clock) }
    var actionDesk: ActionDesk { ActionDesk(database: database, keys: keys, clock: clock, writer: actionWriter) }
    var formTokens: FormToken.Signer { FormToken.Signer(keys: keys) }
    var twoFactor: TwoFactor { TwoFactor(database: database, clock: clock, keys: keys) }
    var siteSettings: SiteSettings { SiteSettings(database: database) }

    func strings(_ language: Language) -> StringCatalog { catalogs[language] }

    func formatting(_ language: Language) -> Formatting {
        Formatting(language: language, strings: catalogs[language], timeZone: settings.timeZone)
    }

    /// The frame of a page in the reader's language, with the language this visitor may prefer offered.
    func layout(_ meta: PageMeta, context: AppRequestContext) async throws -> Layout {
        try await layout(meta, language: context.language, offer: context.languageOffer)
    }

    /// The frame of a page in the reader's language.
    func layout(_ meta: PageMeta, language: Language, offer: Language? = nil) async throws -> Layout {
        let strings = catalogs[language]
        let settings = try await siteSettings.all()
        let siteName = settings[.siteName] ?? "Commons"
        let tagline = settings[.tagline] ?? ""
        let look = SiteSettings.look(settings)
        let image = meta.image ?? look.socialImage.map { SitePath.siteFile($0) }
        let path = SitePath.localized(meta.path, in: language)
        func item(_ key: String, _ target: String) -> Layout.NavigationItem {
            let url = SitePath.localized(target, in: language)
            let current = target == "/" ? meta.path == "/" : (meta.path == target || meta.path.hasPrefix(target + "/"))
            return Layout.NavigationItem(label: strings[key], url: url, isCurrent: current)
        }
        let served = languages
        let alternates =
            served.count > 1
            ? served.map { Layout.Alternate(hreflang: $0.tag, url: self.settings.baseURL + SitePath.localized(meta.path, in: $0)) }
                + [Layout.Alternate(hreflang: "x-default", url: self.settings.baseURL + meta.path)]
            : []
        let choices =
            served.count > 1
            ? served.map { other in
                Layout.LanguageChoice(
                    name: catalogs[other]["language.\(other.code)"],
                    lang: other.tag,
                    dir: other.direction,
                    url: SitePath.languageChoice(other, next: SitePath.localized(meta.path, in: other)),
                    isCurrent: other == language
                )
            }
            : []
        let languageOffer = offer.map { other in
            let theirs = catalogs[other]
            return Layout.LanguageOffer(
                text: theirs["site.language_offer"],
                linkText: theirs["site.language_offer_link"],
                lang: other.tag,
                dir: other.direction,
                url: SitePath.languageChoice(other, next: SitePath.localized(meta.path, in: other))
            )
        }
        return Layout(
            lang: language.tag,
            dir: language.direction,
            homeURL: SitePath.home(in: language),
            alternates: alternates,
            languageChoices: choices,
            hasLanguageChoices: !choices.isEmpty,
            languageOffer: languageOffer,
            headTitle: meta.title.map { "\($0) – \(siteName)" } ?? siteName,
            metaDescription: meta.description.map { Self.shorten($0, to: 160) } ?? tagline,
            canonicalURL: self.settings.baseURL + path,
            siteName: siteName,
            tagline: tagline,
            homeLinkLabel: strings.format("site.home_link", ["site": siteName]),
            stylesheet: stylesheets.path(primary: look.primary, accent: look.accent),
            icon: assets.path("icon.svg"),
            logoURL: look.logo.map { SitePath.siteFile($0) },
            ogType: meta.ogType,
            ogImage: image.map { self.settings.baseURL + $0 },
            twitterCard: image == nil ? "summary" : "summary_large_image",
            relNext: meta.next.map { SitePath.localized($0, in: language) },
            relPrev: meta.prev.map { SitePath.localized($0, in: language) },
            feeds: [Feed(title: strings.format("site.feed_title", ["site": siteName]), url: SitePath.feed(in: language))]
                + (meta.feed.map { [$0] } ?? []),
            searchURL: SitePath.search(in: language),
            privacyURL: SitePath.privacy(in: language),
            navigation: [
                item("nav.home", SitePath.home()),
                item("nav.news", SitePath.news()),
                item("nav.platform", SitePath.page("platform")),
                item("nav.events", SitePath.events()),
                item("nav.documents", SitePath.documents()),
            ],
            footerNavigation: [
                item("nav.mission", SitePath.page("mission")),
                item("data.title", SitePath.datasets()),
                item("coalition.title", SitePath.coalition()),
                item("nav.privacy", SitePath.privacy()),
                item("nav.feed", SitePath.feed()),
            ],
            t: strings.tree
        )
    }

    /// Cuts text at a word boundary for descriptions and summaries.
    static func shorten(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let cut = text.prefix(limit)
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return cut[..<end].trimmingCharacters(in: .punctuationCharacters.union(.whitespaces)) + "…"
    }
}
