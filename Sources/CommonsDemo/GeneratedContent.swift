import CommonsContent
import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import FluentKit
import Foundation

/// Made-up volume on top of the demo content, for load tests: posts spread over the past years
/// and supporters who signed the demo campaign. Everything goes through the same domain code
/// as the real thing, so what is stored is exactly what the site would store.
public enum GeneratedContent {
    public static let categories = ["News", "Press Releases", "Victories", "Reports"]
    static let words = """
        parents students schools equity funding class size teachers community organizing budget \
        mayor chancellor district families language access sanctuary rally testimony hearing \
        coalition justice education public neighborhood college career support curriculum
        """.split(separator: " ").map(String.init)

    /// Adds `posts` published posts and `supporters` supporters; returns when all are committed.
    public static func add(posts: Int, supporters: Int, on database: any Database, keys: DataKeys, clock: Clock) async throws {
        let newsroom = Newsroom(database: database, clock: clock)
        var generator = SystemRandomNumberGenerator()
        func sentence(_ count: Int) -> String {
            (0..<count).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ")
        }
        let now = clock.now
        for index in 0..<posts {
            let paragraphs = (0..<4).map { _ in sentence(60).capitalizedFirst + "." }
            _ = try await newsroom.create(
                PostDraft(
                    title: "Update \(index + 1): " + sentence(6).capitalizedFirst,
                    slug: "generated-update-\(index + 1)",
                    summary: sentence(25).capitalizedFirst + ".",
                    body: paragraphs.joined(separator: "\n\n"),
                    status: .published,
                    publishAt: now.addingTimeInterval(-Double(posts - index) * 86_400 / 3),
                    byline: "NYC Coalition for Educational Justice",
                    categories: [categories[index % categories.count]],
                    tags: [words[index % words.count]]
                )
            )
        }
        guard supporters > 0 else { return }
        guard let campaign = try await Campaign.query(on: database).filter(\.$status == .open).first() else {
            throw GeneratedContentError.noOpenCampaign
        }
        let desk = ActionDesk(database: database, keys: keys, clock: clock)
        // Several hundred at a time, so the writer commits them in groups as it would a crowd.
        for start in stride(from: 0, to: supporters, by: 500) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in start..<min(start + 500, supporters) {
                    group.addTask {
                        let person = Person(
                            givenName: "Parent",
                            familyName: "Number \(index + 1)",
                            email: "parent\(index + 1)@example.org",
                            postalCode: String(10001 + index % 300),
                            preferredLanguage: ["en", "es", "zh", "bn"][index % 4]
                        )
                        _ = try await desk.sign(
                            campaign,
                            ActionSubmission(person: person, emailOptIn: index % 2 == 0, smsOptIn: false, formToken: "generated-\(index + 1)")
                        )
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}

public enum GeneratedContentError: Error, CustomStringConvertible {
    case noOpenCampaign

    public var description: String { "there is no open campaign to sign; load the demo content first" }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
