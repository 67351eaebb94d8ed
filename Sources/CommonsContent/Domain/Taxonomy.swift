import CommonsCore
import FluentKit
import Foundation

/// The categories and tags that sort the news.
public struct Taxonomy: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The category with this name's slug, created when missing.
    public func category(named name: String) async throws -> Category {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let slug = Slug.from(title: name) else { throw ValidationErrors(field: "categories", message: "error.category_invalid") }
        if let existing = try await category(slug: slug.value) { return existing }
        let category = Category(slug: slug.value, name: name)
        try await category.create(on: database)
        return category
    }

    /// The tag with this name's slug, created when missing.
    public func tag(named name: String) async throws -> Tag {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let slug = Slug.from(title: name) else { throw ValidationErrors(field: "tags", message: "error.tag_invalid") }
        if let existing = try await tag(slug: slug.value) { return existing }
        let tag = Tag(slug: slug.value, name: name)
        try await tag.create(on: database)
        return tag
    }

    public func category(slug: String) async throws -> Category? {
        try await Category.query(on: database).filter(\.$slug == slug).first()
    }

    public func tag(slug: String) async throws -> Tag? {
        try await Tag.query(on: database).filter(\.$slug == slug).first()
    }
}
