import FluentKit
import Foundation

/// A standing section of the news, such as "Press Releases" or "Action Alerts".
public final class Category: Model, @unchecked Sendable {
    public static let schema = "categories"

    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "name") public var name: String
    @Field(key: "description") public var description: String

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $slug, $name, $description] }

    public init() {}

    public init(slug: String, name: String, description: String = "") {
        self.slug = slug
        self.name = name
        self.description = description
    }
}

/// A loose label on posts, such as "sanctuary schools".
public final class Tag: Model, @unchecked Sendable {
    public static let schema = "tags"

    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "name") public var name: String

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $slug, $name] }

    public init() {}

    public init(slug: String, name: String) {
        self.slug = slug
        self.name = name
    }
}

public final class PostCategory: Model, @unchecked Sendable {
    public static let schema = "post_categories"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "post_id") public var post: Post
    @Parent(key: "category_id") public var category: Category

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $post, $category] }

    public init() {}
}

public final class PostTag: Model, @unchecked Sendable {
    public static let schema = "post_tags"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "post_id") public var post: Post
    @Parent(key: "tag_id") public var tag: Tag

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $post, $tag] }

    public init() {}
}
