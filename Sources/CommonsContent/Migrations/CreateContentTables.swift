import FluentKit
import SQLKit

/// Files first: documents point at their bytes.
public struct CreateStoredFiles: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(StoredFile.schema)
            .field("sha256", .string, .identifier(auto: false))
            .field("bytes", .data, .required)
            .field("content_type", .string, .required)
            .field("byte_count", .int64, .required)
            .field("created_at", .datetime)
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(StoredFile.schema).delete()
    }
}

public struct CreateDocuments: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Document.schema)
            .id()
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("file_sha256", .string, .required, .references(StoredFile.schema, "sha256"))
            .field("content_type", .string, .required)
            .field("byte_count", .int64, .required)
            .field("file_name", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("published_at", .datetime)
            .field("deleted_at", .datetime)
            .unique(on: "slug")
            .create()
        try await (database as! any SQLDatabase).create(index: "documents_published_at").on(Document.schema).column("published_at").run()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(Document.schema).delete()
    }
}

public struct CreatePages: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Page.schema)
            .id()
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("published_at", .datetime)
            .field("deleted_at", .datetime)
            .unique(on: "slug")
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(Page.schema).delete()
    }
}

public struct CreatePosts: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Post.schema)
            .id()
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("publish_at", .datetime)
            .field("byline", .string, .required)
            .field("featured_document_id", .uuid, .references(Document.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("deleted_at", .datetime)
            .unique(on: "slug")
            .create()
        // The news list: public posts, newest first.
        try await (database as! any SQLDatabase).create(index: "posts_status_publish_at").on(Post.schema).column("status").column("publish_at").run()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(Post.schema).delete()
    }
}

public struct CreatePostRevisions: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(PostRevision.schema)
            .id()
            .field("post_id", .uuid, .required, .references(Post.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("body", .string, .required)
            .field("byline", .string, .required)
            .field("slug", .string, .required)
            .field("saved_at", .datetime)
            .create()
        try await (database as! any SQLDatabase).create(index: "post_revisions_post_id").on(PostRevision.schema).column("post_id").run()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(PostRevision.schema).delete()
    }
}

public struct CreateCategoriesAndTags: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Category.schema)
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("description", .string, .required)
            .unique(on: "slug")
            .create()
        try await database.schema(Tag.schema)
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .unique(on: "slug")
            .create()
        try await database.schema(PostCategory.schema)
            .id()
            .field("post_id", .uuid, .required, .references(Post.schema, "id", onDelete: .cascade))
            .field("category_id", .uuid, .required, .references(Category.schema, "id", onDelete: .cascade))
            .unique(on: "post_id", "category_id")
            .create()
        try await database.schema(PostTag.schema)
            .id()
            .field("post_id", .uuid, .required, .references(Post.schema, "id", onDelete: .cascade))
            .field("tag_id", .uuid, .required, .references(Tag.schema, "id", onDelete: .cascade))
            .unique(on: "post_id", "tag_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "post_categories_category_id").on(PostCategory.schema).column("category_id").run()
        try await sql.create(index: "post_tags_tag_id").on(PostTag.schema).column("tag_id").run()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(PostTag.schema).delete()
        try await database.schema(PostCategory.schema).delete()
        try await database.schema(Tag.schema).delete()
        try await database.schema(Category.schema).delete()
    }
}

public struct CreateSiteSettings: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(SiteSetting.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(SiteSetting.schema).delete()
    }
}

/// The content migrations in the order they must run.
public enum ContentMigrations {
    public static var all: [any Migration] {
        [
            CreateStoredFiles(), CreateDocuments(), CreatePages(), CreatePosts(), CreatePostRevisions(), CreateCategoriesAndTags(),
            CreateSiteSettings(), CreateRedirects(), CreateSearchIndex(), AddBodyFormat(), IndexPublicPostOrder(),
        ]
    }
}
