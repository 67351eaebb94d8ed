import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation

/// The home page: mission, platform, "What's New" and the featured campaign, in the seed site's order.
struct HomePage {
    struct Section {
        let title: String
        let url: String
        let html: String
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
    let mission: Section?
    let platform: Section?
    let posts: [PostTeaser]
    let hasPosts: Bool
    let olderPostsURL: String?
    let campaign: CampaignTeaser?

    /// - Parameter translations: the translations into the page's language of the posts, pages
    ///   and campaign shown, by item id (ids are unique across kinds).
    init(_ query: Query, translations: [UUID: ContentTranslation] = [:], layout: Layout, formatting: Formatting) {
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
        posts = query.posts.map {
            PostTeaser($0, translation: $0.id.flatMap { translations[$0] }, formatting: formatting, showBodyWithoutSummary: true)
        }
        hasPosts = !query.posts.isEmpty
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
    }
}
