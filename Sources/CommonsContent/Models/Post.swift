import FluentKit
import Foundation

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

    public init() {}

    /// True when a reader may see the post at `now`.
    public func isPublic(at now: Date) -> Bool {
        guard status != .draft, let publishAt else { return false }
        return publishAt <= now
    }
}
