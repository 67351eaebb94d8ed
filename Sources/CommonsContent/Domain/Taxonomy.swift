import CommonsCore
import FluentKit
import Foundation

/// The categories and tags that sort the news.
public struct Taxonomy: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The category with this name (or this name's slug), created when missing.
    public func category(named name: String) async throws -> Category {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        // An imported category keeps its old slug, which need not be its name's.
        if let named = try await Category.query(on: database).filter(\.$name == name).first() { return named }
        guard let slug = Slug.from(title: name) else { throw ValidationErrors(field: "categories", message: "error.category_invalid") }
        if let existing = try await category(slug: slug.value) { return existing }
        let category = Category(slug: slug.value, name: name)
        try await category.create(on: database)
        return category
    }

    /// The tag with this name (or this name's slug), created when missing.
    public func tag(named name: String) async throws -> Tag {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if let named = try await Tag.query(on: database).filter(\.$name == name).first() { return named }
        guard let slug = Slug.from(title: name) else { throw ValidationErrors(field: "tags", message: "error.tag_invalid") }
        if let existing = try await tag(slug: slug.value) { return existing }
        let tag = Tag(slug: slug.value, name: name)
        try await tag.create(on: database)
        return tag
    }

    /// The category with this slug, created or brought up to date with `name` and
    /// `description`: for imports, which keep the slugs old links use. True when it changed.
    @discardableResult
    public func category(slug: String, name: String, description: String) async throws -> (category: Category, changed: Bool) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let description = description.trimmingCharacters(in: .whitespacesAndNewlines)
        if let existing = try await category(slug: slug) {
            guard existing.name != name || existing.description != description else { return (existing, false) }
            existing.name = name
            existing.description = description
            try await existing.update(on: database)
            return (existing, true)
        }
        let category = Category(slug: slug, name: name, description: description)
        try await category.create(on: database)
        return (category, true)
    }

    /// The tag with this slug, created or renamed to `name`. True when it changed.
    @discardableResult
    public func tag(slug: String, name: String) async throws -> (tag: Tag, changed: Bool) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if let existing = try await tag(slug: slug) {
            guard existing.name != name else { return (existing, false) }
            existing.name = name
            try await existing.update(on: database)
            return (existing, true)
        }
        let tag = Tag(slug: slug, name: name)
        try await tag.create(on: database)
        return (tag, true)
    }

    public func category(slug: String) async throws -> Category? {
        try await Category.query(on: database).filter(\.$slug == slug).first()
    }

    public func tag(slug: String) async throws -> Tag? {
        try await Tag.query(on: database).filter(\.$slug == slug).first()
    }
}
