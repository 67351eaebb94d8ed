import CommonsContent
import CommonsOrganizing
import Foundation

/// The home page: mission, platform, "What's New" and the featured campaign, in the seed site's order.
struct HomePage {
    struct Section {
        let title: String
        let url: String
        let html: String
    }

    struct CampaignTeaser {
        let title: String
        let url: String
        let summary: String
        let callToAction: String
    }

    let layout: Layout
    let mission: Section?
    let platform: Section?
    let posts: [PostTeaser]
    let hasPosts: Bool
    let olderPostsURL: String?
    let campaign: CampaignTeaser?

    init(_ query: Query, translations: [UUID: ContentTranslation] = [:], layout: Layout, formatting: Formatting) {
        let markdown = MarkdownRenderer()
        let language = formatting.language
        self.layout = layout
        mission = query.mission.map {
            Section(title: $0.title, url: SitePath.localized(SitePath.page($0.slug), in: language), html: $0.bodyHTML)
        }
        platform = query.platform.map {
            Section(title: $0.title, url: SitePath.localized(SitePath.page($0.slug), in: language), html: $0.bodyHTML)
        }
        posts = query.posts.map {
            PostTeaser($0, translation: $0.id.flatMap { translations[$0] }, formatting: formatting, showBodyWithoutSummary: true)
        }
        hasPosts = !query.posts.isEmpty
        // The home page shows the first page's newest posts; "older" continues where it stops.
        olderPostsURL = query.hasOlderPosts ? SitePath.localized(SitePath.news(page: 2), in: language) : nil
        campaign = query.campaign.map {
            CampaignTeaser(
                title: $0.title,
                url: SitePath.localized(SitePath.campaign($0.slug), in: language),
                summary: Site.shorten(markdown.plainText(from: $0.description), to: 220),
                callToAction: formatting.strings.format("home.campaign_call", ["title": $0.title])
            )
        }
    }
}
