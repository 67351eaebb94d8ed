import CommonsContent
import CommonsCore
import CommonsOrganizing
import FluentKit
import Foundation

/// CEJ's home page as it stands today, loaded through the same domain operations editors use,
/// so the running app shows a real coalition's site from its first start.
public enum DemoContent {
    /// Loads the demo content when the database holds no content yet and it was never loaded.
    /// Returns true when it loaded it. All of it is written in one transaction.
    @discardableResult
    public static func loadIfEmpty(on database: any Database, clock: Clock) async throws -> Bool {
        try await database.transaction { db in
            let settings = SiteSettings(database: db)
            if try await settings.value(.demoLoadedAt) != nil { return false }
            let posts = try await Post.query(on: db).withDeleted().count()
            let pages = try await Page.query(on: db).withDeleted().count()
            if posts + pages > 0 { return false }
            try await load(on: db, clock: clock)
            try await settings.set(.demoLoadedAt, to: ISO8601DateFormatter().string(from: clock.now))
            return true
        }
    }

    /// CEJ's own time zone: the demo is its site.
    static let newYork = "America/New_York"

    static let pressConference: Date = {
        var components = DateComponents(year: 2016, month: 12, day: 8, hour: 12)
        components.timeZone = TimeZone(identifier: newYork)
        return Calendar(identifier: .gregorian).date(from: components)!
    }()

    private static func load(on db: any Database, clock: Clock) async throws {
        let settings = SiteSettings(database: db)
        try await settings.set(.siteName, to: "NYC Coalition for Educational Justice")
        try await settings.set(.tagline, to: "Parents organizing for equitable public schools")

        // The platform's two figures, drawn on the platform page (its `[[chart:…]]` paragraph).
        try await DataLibrary(database: db).add(
            DatasetDraft(
                title: "Students graduating college-ready, by neighborhood",
                slug: collegeReadySlug,
                notes:
                    "Share of students who graduate high school with the knowledge and skills they need for college, as CEJ's platform cites them.",
                sourceName: "NYC Coalition for Educational Justice, platform",
                file: (name: "college-ready.csv", bytes: Array("Neighborhood,Graduating college-ready\nTribeca,80%\nMott Haven,8%\n".utf8))
            )
        )

        let pages = Pages(database: db, clock: clock)
        let mission = try await pages.create(PageDraft(title: "Our Mission", slug: "mission", body: missionText))
        let platform = try await pages.create(
            PageDraft(
                title: "Build College-Ready Community Schools for All: Quality Schools, Strong Neighborhoods, Bright Futures!",
                slug: "platform",
                summary: "Our Platform",
                body: platformText
            )
        )
        try await settings.set(.missionPage, to: mission.requireID().uuidString)
        try await settings.set(.platformPage, to: platform.requireID().uuidString)

        // The documents are dated with the press conference; the clock decides only "now".
        let library = DocumentLibrary(database: db, clock: .fixed(pressConference))
        try await library.add(
            DocumentUpload(
                title: "Confronting Bias and Protecting Our Communities",
                slug: "confronting-bias-and-protecting-our-communities",
                description: "CEJ’s proposal to the NYC Department of Education for steps to make schools a refuge for students and families.",
                fileName: "confronting-bias-and-protecting-our-communities.pdf",
                bytes: PlaceholderPDF.make(
                    title: "Confronting Bias and Protecting Our Communities",
                    lines: [
                        "This file stands in for CEJ's proposal to the NYC Department of Education.",
                        "It is part of the Commons demo content; an editor replaces it with the real document.",
                    ]
                )
            )
        )
        try await library.add(
            DocumentUpload(
                title: "CEJ Press Release, December 8, 2016",
                slug: "12-8-16-cej-press-release",
                description: "CEJ parents call on the NYC Department of Education to make schools sanctuaries.",
                fileName: "12-8-16-cej-press-release.pdf",
                bytes: PlaceholderPDF.make(
                    title: "CEJ Press Release, December 8, 2016",
                    lines: [
                        "This file stands in for CEJ's press release of December 8, 2016.",
                        "It is part of the Commons demo content; an editor replaces it with the real document.",
                    ]
                )
            )
        )

        try await CampaignDirectory(database: db).create(
            CampaignDraft(
                title: "Sanctuary Schools",
                slug: "sanctuary-schools",
                kind: .signup,
                description: sanctuaryCampaignText,
                thankYou: "Thank you for joining the Sanctuary Schools campaign. We will be in touch about the next action.",
                featured: true,
                supporterTags: ["sanctuary-schools"],
                askedFields: [.phone, .postalCode, .role, .school, .preferredLanguage]
            )
        )

        try await EventDirectory(database: db, clock: clock).create(
            EventDraft(
                title: "Press conference: CEJ calls for Sanctuary Schools",
                slug: "sanctuary-schools-press-conference",
                description:
                    "CEJ parents call on the NYC Department of Education to make schools a refuge from racism, sexism, xenophobia and homophobia for students and families.",
                startsAt: pressConference,
                endsAt: pressConference.addingTimeInterval(3600),
                timeZone: newYork,
                venue: "NYC Department of Education, Tweed Courthouse",
                address: "52 Chambers Street, New York, NY 10007"
            )
        )

        try await Newsroom(database: db, clock: clock).create(
            PostDraft(
                title: "CEJ Calls For “Sanctuary Schools”",
                slug: "cej-calls-for-sanctuary-schools",
                body: sanctuaryPostText,
                status: .published,
                publishAt: pressConference,
                byline: "NYC Coalition for Educational Justice",
                categories: ["News"],
                tags: ["Sanctuary Schools"]
            )
        )
    }

    static let missionText = """
        Led by parents, the NYC Coalition for Educational Justice is organizing a movement to end the inequities in the city’s public school system. We are a collaborative of community-based organizations and unions whose members include culturally diverse parents, community members, students and educators. We are motivated by the urgent need to obtain a quality and well-rounded education for all students. We will mobilize the power of parents and the community to affect policy change and create a more equitable educational system.
        """

    static let platformText = """
        In neighborhoods across NYC, parents share the hope that their children will graduate high school and go to college. But the realization of that dream varies dramatically. While 80% of children living in Tribeca graduate with the knowledge and skills they need for college, only 8% of students in Mott Haven do. These disparities are unacceptable. To prepare many more students for college and career success, the next Mayor needs a pre-k to 12th grade plan that combines academic rigor and high expectations with comprehensive supports and the creative, motivating experiences that excite students about their future. All students deserve the kind of high quality education that the best schools offer – without having to leave their neighborhood. We advocate:

        1. Focus on teaching and learning
        2. Build a college-going culture in all schools
        3. Provide strong, comprehensive support for every child
        4. Put the parents back in public education

        [[chart:\(collegeReadySlug)]]
        """

    static let collegeReadySlug = "college-ready-by-neighborhood"

    static let sanctuaryPostText = """
        On Thursday, December 8th, CEJ parents held a press conference at the NYC Department of Education to call on the NYC Department of Education to do more to make schools a refuge from racism, sexism, xenophobia and homophobia for students and families. In light of the surge of racist and anti-immigrant harassment and crimes in NYC and nationally, the DOE must take a much more proactive role in equipping school staff to support students who are exposed daily to hateful speech and acts through their own experiences, friends and family, and the media; and families who are being threatened with discriminatory federal policies.

        [Click here to read CEJ’s proposal to the DOE for steps to address this need.](/documents/confronting-bias-and-protecting-our-communities)

        [Click here to read the press release](/documents/12-8-16-cej-press-release)

        [Join the campaign by signing up here!](/campaigns/sanctuary-schools)
        """

    static let sanctuaryCampaignText = """
        Schools must be a refuge from racism, sexism, xenophobia and homophobia for every student and family. CEJ parents are calling on the NYC Department of Education to equip school staff to support students exposed to hateful speech and acts, and to protect families threatened by discriminatory federal policies.

        Sign up to join the Sanctuary Schools campaign and hear about the next action.
        """
}
