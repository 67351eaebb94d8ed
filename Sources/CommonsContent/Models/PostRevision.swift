import FluentKit
import Foundation

/// A post as it stood before one of its saves, kept so an editor can look back and restore it.
public final class PostRevision: Model, @unchecked Sendable {
    public static let schema = "post_revisions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "post_id") public var post: Post
    @Field(key: "title") public var title: String
    @Field(key: "summary") public var summary: String
    @Field(key: "body") public var body: String
    @Field(key: "byline") public var byline: String
    @Field(key: "slug") public var slug: String
    @Timestamp(key: "saved_at", on: .create) public var savedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $post, $title, $summary, $body, $byline, $slug, $savedAt] }

    public init() {}
}
