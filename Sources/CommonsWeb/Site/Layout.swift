import CommonsContent

/// What every page's frame shows: head, header, navigation and footer.
struct Layout {
    struct NavigationItem {
        let label: String
        let url: String
        let isCurrent: Bool
    }

    /// The same page in another language, for `<link rel="alternate" hreflang>`.
    struct Alternate {
        let hreflang: String
        let url: String
    }

    /// One entry of the language switcher: the language's name in its own script.
    struct LanguageChoice {
        let name: String
        let lang: String
        let dir: String
        let url: String
        let isCurrent: Bool
    }

    /// The one-line offer of another language, written in that language.
    struct LanguageOffer {
        let text: String
        let linkText: String
        let lang: String
        let dir: String
        let url: String
    }

    let lang: String
    let dir: String
    let homeURL: String
    let alternates: [Alternate]
    let languageChoices: [LanguageChoice]
    let hasLanguageChoices: Bool
    let languageOffer: LanguageOffer?
    /// The full `<title>`: the page's title and the site's name. Layout fields have names no
    /// page model uses, since a page's template sees both.
    let headTitle: String
    let metaDescription: String
    let canonicalURL: String
    let siteName: String
    let tagline: String
    let homeLinkLabel: String
    let stylesheet: String
    let icon: String
    /// The coalition's logo beside its name in the header, when it has set one.
    let logoURL: String?
    let ogType: String
    /// An absolute image URL for link previews: the page's own picture, or the site's.
    let ogImage: String?
    /// `summary_large_image` when there is a picture to show.
    let twitterCard: String
    /// `<link rel="next">` and `<link rel="prev">` on paginated lists.
    let relNext: String?
    let relPrev: String?
    /// The site's news feed, and another one this page offers (a category's).
    let feeds: [Feed]
    let searchURL: String
    /// What an embedded form links to (in a new tab) about the data it takes.
    let privacyURL: String
    let navigation: [NavigationItem]
    let footerNavigation: [NavigationItem]
    /// The interface strings of the page's language, as `{{t.section.key}}`.
    let t: [String: any Sendable]
}

struct Feed {
    let title: String
    let url: String
}

/// What a handler says about its page so the layout can be built.
struct PageMeta {
    var title: String?
    var description: String?
    var path: String
    var ogType = "website"
    /// A path on this site to an image for link previews.
    var image: String? = nil
    var next: String? = nil
    var prev: String? = nil
    /// A feed of this page's own, beside the site's.
    var feed: Feed? = nil
}
