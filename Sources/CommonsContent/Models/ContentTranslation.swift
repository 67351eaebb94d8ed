import CommonsCore
import FluentKit
import Foundation

/// One item's text in another language: a post, page, document, campaign, event or dataset as a
/// volunteer translated it, linked to its original. Translations are written in Markdown.
public final class ContentTranslation: Model, @unchecked Sendable {
    public static let schema = "translations"

    /// What a translation belongs to.
    public enum Subject: String, Codable, Sendable, CaseIterable {
        case post, page, document, campaign, event, dataset, member
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "subject_type") public var subject: Subject
    @Field(key: "subject_id") public var subjectID: UUID
    /// The language code (`es`, `zh`, …).
    @Field(key: "language") public var language: String
    @Field(key: "title") public var title: String
    @Field(key: "summary") public var summary: String
    /// The post's or page's text, or the document's, campaign's or event's description.
    @Field(key: "body") public var body: String {
        didSet { bodyHTML = MarkdownRenderer().html(from: body) }
    }
    /// The body rendered when it was set; views never parse Markdown.
    @Field(key: "body_html") public internal(set) var bodyHTML: String
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $subject, $subjectID, $language, $title, $summary, $body, $bodyHTML, $updatedAt] }

    public init() {}

    public var bodyText: String { HTMLText.stripTags(bodyHTML) }
}

public struct CreateTranslations: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ContentTranslation.schema)
            .id()
            .field("subject_type", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("language", .string, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("body", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "subject_type", "subject_id", "language")
            .create()
        // A new or changed translation changes the pages that show it.
        try await TrackContentChanges.addTriggers(to: [ContentTranslation.schema], on: database)
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(ContentTranslation.schema).delete()
    }
}

/// What a translator fills in.
public struct TranslationDraft: Sendable {
    public var title: String
    public var summary: String
    public var body: String

    public init(title: String, summary: String = "", body: String = "") {
        self.title = title
        self.summary = summary
        self.body = body
    }
}

/// Translations of the site's content, by item and language.
public struct Translations: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func translation(of subject: ContentTranslation.Subject, id: UUID, language: String) async throws -> ContentTranslation? {
        try await ContentTranslation.query(on: database).filter(\.$subject == subject).filter(\.$subjectID == id)
            .filter(\.$language == language).first()
    }

    /// The translations into one language of several items, by item id: for lists.
    public func translations(of subject: ContentTranslation.Subject, ids: [UUID], language: String) async throws -> [UUID: ContentTranslation] {
        guard !ids.isEmpty else { return [:] }
        let found = try await ContentTranslation.query(on: database).filter(\.$subject == subject).filter(\.$subjectID ~~ ids)
            .filter(\.$language == language).all()
        return Dictionary(found.map { ($0.subjectID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every translation of one item.
    public func all(of subject: ContentTranslation.Subject, id: UUID) async throws -> [ContentTranslation] {
        try await ContentTranslation.query(on: database).filter(\.$subject == subject).filter(\.$subjectID == id).all()
    }

    /// Creates or replaces an item's translation into `language`.
    @discardableResult
    public func save(
        _ draft: TranslationDraft,
        of subject: ContentTranslation.Subject,
        id: UUID,
        language: String
    ) async throws
        -> ContentTranslation
    {
        var errors = ValidationErrors()
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.add(field: "title", message: "error.title_required") }
        if title.count > TitleAndSlug.titleLimit { errors.add(field: "title", message: "error.title_too_long") }
        for problem in MarkdownRenderer().problems(in: draft.body) { errors.add(field: "body", message: problem) }
        try errors.throwIfAny()
        let translation = try await self.translation(of: subject, id: id, language: language) ?? ContentTranslation()
        translation.subject = subject
        translation.subjectID = id
        translation.language = language
        translation.title = title
        translation.summary = draft.summary.trimmingCharacters(in: .whitespacesAndNewlines)
        translation.body = draft.body
        try await translation.save(on: database)
        return translation
    }

    public func delete(of subject: ContentTranslation.Subject, id: UUID, language: String) async throws {
        try await ContentTranslation.query(on: database).filter(\.$subject == subject).filter(\.$subjectID == id)
            .filter(\.$language == language).delete()
    }
}
