import FluentKit
import Foundation

/// What the staff dashboard says about the site's content: counts only.
public struct ContentFigures: Sendable {
    public struct Counts: Sendable, Equatable {
        /// Posts and pages not yet meant for the public.
        public let drafts: Int
        /// Posts set to appear later by themselves.
        public let scheduled: Int
        /// Per language code: public posts and pages with no translation into it yet.
        public let untranslated: [String: Int]

        public init(drafts: Int, scheduled: Int, untranslated: [String: Int]) {
            self.drafts = drafts
            self.scheduled = scheduled
            self.untranslated = untranslated
        }
    }

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// - Parameter languages: the codes of the languages the site serves besides English.
    public func counts(languages: [String], now: Date) async throws -> Counts {
        let draftPosts = try await Post.query(on: database).filter(\.$status == .draft).count()
        let draftPages = try await Page.query(on: database).filter(\.$status == .draft).count()
        let scheduled = try await Post.query(on: database).filter(\.$status != .draft).filter(\.$publishAt > now).count()
        let posts = try await Post.publicOnly(Post.query(on: database), at: now).count()
        let pages = try await Page.query(on: database).filter(\.$status == .published).count()
        var untranslated: [String: Int] = [:]
        for language in languages {
            // Translations of what is public now; one of a draft or a deleted item does not count.
            let posted = try await Post.publicOnly(
                joined: ContentTranslation.query(on: database).join(Post.self, on: \ContentTranslation.$subjectID == \Post.$id),
                at: now
            )
            .filter(\.$subject == .post).filter(\.$language == language).count()
            let paged = try await ContentTranslation.query(on: database)
                .join(Page.self, on: \ContentTranslation.$subjectID == \Page.$id)
                .filter(\.$subject == .page).filter(\.$language == language)
                .filter(Page.self, \.$status == .published).filter(Page.self, \.$deletedAt == nil)
                .count()
            let missing = posts + pages - posted - paged
            if missing > 0 { untranslated[language] = missing }
        }
        return Counts(drafts: draftPosts + draftPages, scheduled: scheduled, untranslated: untranslated)
    }
}
