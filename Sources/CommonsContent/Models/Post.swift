import FluentKit
import Foundation
import SQLKit

/// A news item: a statement, a press release, a report from an action.
public final class Post: Model, @unchecked Sendable {
    public static let schema = "posts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "title") public var title: String
    @Field(key: "summary") public var summary: String
    @Field(key: "body") public var body: String {
        didSet { renderBody() }
    }
    @Field(key: "body_format") public var bodyFormat: BodyFormat {
        didSet { renderBody() }
    }
    /// The body as HTML a page may print unescaped, rendered when the body is set (see `RenderedBody`).
    @Field(key: "body_html") public internal(set) var bodyHTML: String
    @Field(key: "status") public var status: PublicationStatus
    /// When the post becomes (or became) public; nil for a draft never scheduled.
    @OptionalField(key: "publish_at") public var publishAt: Date?
    @Field(key: "byline") public var byline: String
    @OptionalParent(key: "featured_document_id") public var featuredDocument: Document?
    @Siblings(through: PostCategory.self, from: \.$post, to: \.$category) public var categories: [Category]
    @Siblings(through: PostTag.self, from: \.$post, to: \.$tag) public var tags: [Tag]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    @Timestamp(key: "deleted_at", on: .delete) public var deletedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $slug, $title, $summary, $body, $bodyFormat, $bodyHTML, $status, $publishAt, $byline, $featuredDocument, $categories, $tags,
            $createdAt, $updatedAt, $deletedAt,
        ]
    }

    public init() {}

    /// True when a reader may see the post at `now`.
    public func isPublic(at now: Date) -> Bool {
        guard status != .draft, let publishAt else { return false }
        return publishAt <= now
    }
}

// The one rule of a public post (not a draft, its time come, not deleted), in each form the
// queries need: so the news, the sitemap, search and the dashboard can never disagree.
extension Post {
    /// Narrows a query of posts to the public ones (Fluent leaves deleted rows out by itself).
    static func publicOnly(_ query: QueryBuilder<Post>, at now: Date) -> QueryBuilder<Post> {
        query.filter(\.$status != .draft).filter(\.$publishAt <= now)
    }

    /// Narrows a query of another model joined to posts to the public posts.
    static func publicOnly<Joined: Model>(joined query: QueryBuilder<Joined>, at now: Date) -> QueryBuilder<Joined> {
        query.filter(Post.self, \.$status != .draft).filter(Post.self, \.$publishAt <= now).filter(Post.self, \.$deletedAt == nil)
    }

    /// The rule as SQL on the posts table (named `alias` in the query, when it has one).
    static func isPublicSQL(_ alias: String? = nil, at now: Date) -> SQLQueryString {
        let column = alias.map { "\($0)." } ?? ""
        return
            "\(unsafeRaw: column)status <> \(bind: PublicationStatus.draft.rawValue) AND \(unsafeRaw: column)publish_at <= \(bind: now) AND \(unsafeRaw: column)deleted_at IS NULL"
    }
}
