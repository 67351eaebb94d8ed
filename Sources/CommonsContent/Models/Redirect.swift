import FluentKit
import Foundation

/// An address that moved: a renamed post's old URL, or a page of the old WordPress site.
public final class Redirect: Model, @unchecked Sendable {
    public static let schema = "redirects"

    @ID(key: .id) public var id: UUID?
    /// The old path, as requested: `/news/old-slug`, `/?p=123`.
    @Field(key: "from_path") public var fromPath: String
    @Field(key: "to_path") public var toPath: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $fromPath, $toPath, $createdAt] }

    public init() {}
}
