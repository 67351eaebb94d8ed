import CommonsContent
import CommonsCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

@Suite("Home page")
struct HomePageTests {
    func homeShowsTheSeedSite(_ backend: TestDatabase.Backend) async throws {
        let site = try await TestSite.make(backend)
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let response = try await client.get("/")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = response.text
            #expect(html.contains("<html lang=\"en\" dir=\"ltr\">"))
            #expect(html.components(separatedBy: "<h1").count == 2, "exactly one h1")
            #expect(html.contains("<a class=\"skip-link\" href=\"#main\">"))
            #expect(html.contains("<main id=\"main\""))
            // The seed's order: mission, platform, What's New.
            let mission = try #require(html.range(of: "Led by parents, the NYC Coalition for Educational Justice is organizing a movement"))
            let platform = try #require(html.range(of: "Build College-Ready Community Schools for All"))
            let news = try #require(html.range(of: "What&#39;s New"))
            #expect(mission.lowerBound < platform.lowerBound && platform.lowerBound < news.lowerBound)
            #expect(html.contains("While 80% of children living in Tribeca graduate"))
            // The platform's chart marker shows its chart, drawn here, as on the platform page.
            #expect(!html.contains("[[chart:") && html.contains("class=\"chart\" role=\"img\""))
            for plank in [
                "Focus on teaching and learning", "Build a college-going culture in all schools",
                "Provide strong, comprehensive support for every child", "Put the parents back in public education",
            ] {
                #expect(html.contains("<li>\(plank)</li>"), "plank \(plank)")
            }
            #expect(html.contains("<a href=\"/news/cej-calls-for-sanctuary-schools\">CEJ Calls For “Sanctuary Schools”</a>"))
            #expect(html.contains("<time datetime=\"2016-12-08\">December 8, 2016</time>"))
            // Only one post: no "View older posts".
            #expect(!html.contains("/news/page/2"))

            // Every link in the post's teaser leads somewhere real.
            let postLinks = links(in: html, within: "<article class=\"post-teaser\">")
            #expect(postLinks.contains("/documents/confronting-bias-and-protecting-our-communities"))
            #expect(postLinks.contains("/documents/12-8-16-cej-press-release"))
            #expect(postLinks.contains("/campaigns/sanctuary-schools"))
            for link in postLinks {
                #expect(try await client.get(link).status == .ok, "link \(link)")
            }
            // And so does every link of the page's own navigation.
            for link in links(in: html, within: "<nav class=\"site-nav\"") {
                #expect(try await client.get(link).status == .ok, "navigation link \(link)")
            }
        }
    }

    @Test func test_home_page_shows_mission_planks_and_sanctuary_post_on_sqlite() async throws {
        try await homeShowsTheSeedSite(.sqlite)
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_home_page_shows_mission_planks_and_sanctuary_post_on_postgres() async throws {
        try await homeShowsTheSeedSite(.postgres)
    }

    @Test func test_home_page_links_to_older_posts_when_more_than_fit() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        // The first start loads the demo content; ten more posts then push the seed post to page 2.
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        try await site.withStore { store async throws in
            let newsroom = Newsroom(database: store.database, clock: .system)
            for number in 1...Newsroom.postsPerPage {
                try await newsroom.create(
                    PostDraft(
                        title: "Update number \(number)",
                        body: "Text \(number).",
                        status: .published,
                        publishAt: Date(timeIntervalSinceNow: Double(-number * 3600))
                    )
                )
            }
        }
        try await site.run { client async throws in
            let html = try await client.get("/").text
            #expect(html.contains("<a href=\"/news/page/2\">View older posts</a>"))
            // The seed post, the oldest of eleven, is the first post of page 2.
            #expect(!html.contains("CEJ Calls For"))
            let page2 = try await client.get("/news/page/2")
            #expect(page2.status == .ok)
            #expect(page2.text.contains("CEJ Calls For “Sanctuary Schools”"))
        }
    }

    @Test func test_a_scheduled_post_stays_off_the_home_page_until_its_time() async throws {
        let publishAt = Date(timeIntervalSince1970: 2_000_000_000)
        let before = try await TestSite.make(clock: .fixed(publishAt.addingTimeInterval(-60)))
        defer { Task { await before.destroy() } }
        try await before.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            try await Newsroom(database: store.database, clock: .fixed(publishAt.addingTimeInterval(-3600))).create(
                PostDraft(title: "Forum with the mayoral candidates", body: "Join us.", status: .scheduled, publishAt: publishAt)
            )
        }
        try await before.run { client async throws in
            let home = try await client.get("/")
            let post = try await client.get("/news/forum-with-the-mayoral-candidates")
            #expect(!home.text.contains("Forum with the mayoral candidates"))
            #expect(post.status == .notFound)
        }
        var after = before
        after.services = Services(clock: .fixed(publishAt.addingTimeInterval(60)))
        try await after.run { client async throws in
            let home = try await client.get("/")
            let post = try await client.get("/news/forum-with-the-mayoral-candidates")
            #expect(home.text.contains("Forum with the mayoral candidates"))
            #expect(post.status == .ok)
        }
    }
}
