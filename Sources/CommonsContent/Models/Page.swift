import FluentKit
import Foundation

/// A standing page of the site: about, the mission, the platform.
public final class Page: Model, @unchecked Sendable {
    public static let schema = "pages"

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
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Timestamp(key: "deleted_at", on: .delete) public var deletedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [$id, $slug, $title, $summary, $body, $bodyFormat, $bodyHTML, $status, $createdAt, $updatedAt, $publishedAt, $deletedAt]
    }

    public init() {}
}
