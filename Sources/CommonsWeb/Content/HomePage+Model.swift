import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation

/// The home page: mission, platform, "What's New" and the featured campaign, in the seed site's order.
struct HomePage {
    struct Section {
        let title: String
        let url: String
        var html: String
        /// `lang="en"` when the page is shown untranslated.
        let contentLang: String?
    }

    struct CampaignTeaser {
        let title: String
        let url: String
        let summary: String
        let callToAction: String
        let contentLang: String?
    }

    let layout: Layout
    var mission: Section?
    var platform: Section?
    /// The newest post, whole, as the seed site shows it; the others as cards.
    let lead: PostTeaser?
    let posts: [PostTeaser]
    let hasMorePosts: Bool
    let olderPostsURL: String?
    let campaign: CampaignTeaser?
    let event: NextEvent?
    /// The featured campaign or the next event: the column beside the mission.
    let hasAside: Bool

    struct NextEvent {
        let summary: EventSummary
        let eventsURL: String
    }

    /// - Parameter translations: the translations into the page's language of the posts, pages
    ///   and campaign shown, by item id (ids are unique across kinds).
    init(
        _ query: Query,
        translations: [UUID: ContentTranslation] = [:],
        images: [String: [ImageLibrary.Size]] = [:],
        layout: Layout,
        formatting: Formatting
    ) {
        let language = formatting.language
        let untranslated = language == .english ? nil : Language.english.tag
        self.layout = layout
        func section(_ page: Page) -> Section {
            let translation = page.id.flatMap { translations[$0] }
            return Section(
                title: translation?.title ?? page.title,
                url: SitePath.page(in: language, page.slug),
                html: translation.map { $0.body.isEmpty ? page.bodyHTML : $0.bodyHTML } ?? page.bodyHTML,
                contentLang: translation == nil ? untranslated : nil
            )
        }
        mission = query.mission.map(section)
        platform = query.platform.map(section)
        let teasers = query.posts.enumerated().map { position, post in
            PostTeaser(
                post,
                translation: post.id.flatMap { translations[$0] },
                formatting: formatting,
                showBodyWithoutSummary: position == 0,
                images: images,
                position: position
            )
        }
        lead = teasers.first
        posts = Array(teasers.dropFirst())
        hasMorePosts = !posts.isEmpty
        // The home page shows the first page's newest posts; "older" continues where it stops.
        olderPostsURL = query.hasOlderPosts ? SitePath.localized(SitePath.news(page: 2), in: language) : nil
        campaign = query.campaign.map { campaign in
            let translation = campaign.id.flatMap { translations[$0] }
            let title = translation?.title ?? campaign.title
            let text = translation.map { $0.body.isEmpty ? HTMLText.stripTags(campaign.descriptionHTML) : $0.bodyText }
            return CampaignTeaser(
                title: title,
                url: SitePath.campaign(in: language, campaign.slug),
                summary: Site.shorten(text ?? HTMLText.stripTags(campaign.descriptionHTML), to: 220),
                callToAction: formatting.strings.format("home.campaign_call", ["title": title]),
                contentLang: translation == nil ? untranslated : nil
            )
        }
        event = query.nextEvent.map { event in
            let title = event.id.flatMap { translations[$0] }?.title
            return NextEvent(summary: EventSummary(event, title: title, formatting: formatting), eventsURL: SitePath.events(in: language))
        }
        hasAside = campaign != nil || event != nil
    }
}
