import CommonsContent
import CommonsOrganizing
import Foundation

extension HomePage {
    /// What the home page shows: the mission and platform pages named in the site settings,
    /// the latest posts and the featured campaign.
    struct Query {
        // A full page of news, so "View older posts" continues at /news/page/2 exactly where this stops.
        static let postCount = Newsroom.postsPerPage

        let mission: Page?
        let platform: Page?
        let posts: [Post]
        let hasOlderPosts: Bool
        let campaign: Campaign?
        /// The soonest event not yet over and not cancelled.
        let nextEvent: Event?

        static func run(site: Site) async throws -> Query {
            let settings = try await site.siteSettings.all()
            func page(_ key: SiteSettingKey) async throws -> Page? {
                guard let id = settings[key].flatMap(UUID.init(uuidString:)) else { return nil }
                return try await site.pages.publicPage(id: id)
            }
            let latest = try await site.newsroom.latestPublicPosts(limit: postCount + 1)
            return Query(
                mission: try await page(.missionPage),
                platform: try await page(.platformPage),
                posts: Array(latest.prefix(postCount)),
                hasOlderPosts: latest.count > postCount,
                campaign: try await site.campaigns.featured(),
                nextEvent: try await site.events.upcoming().first { $0.status != .cancelled }
            )
        }
    }
}
