import CommonsCore
import FluentKit
import Foundation

/// What an editor fills in to write or change a page.
public struct PageDraft: Sendable {
    public var title: String
    public var slug: String?
    public var summary: String
    public var body: String
    public var status: PublicationStatus
    /// Nil keeps a page's format (Markdown for a new one); HTML bodies are sanitized when saved.
    public var bodyFormat: BodyFormat?
    /// When it was first published; nil for now.
    public var publishedAt: Date?

    public init(
        title: String,
        slug: String? = nil,
        summary: String = "",
        body: String,
        status: PublicationStatus = .published,
        bodyFormat: BodyFormat? = nil,
        publishedAt: Date? = nil
    ) {
        self.title = title
        self.slug = slug
        self.summary = summary
        self.body = body
        self.status = status
        self.bodyFormat = bodyFormat
        self.publishedAt = publishedAt
    }
}

/// The site's standing pages: about, mission, platform, privacy.
public struct Pages: Sendable {
    /// First path segments the site itself answers; a page may not take one of them.
    public static let reservedSlugs: Set<String> = Set(
        [
            "news", "category", "tag", "privacy", "documents", "campaigns", "events", "search", "feed", "sitemap-xml",
            "robots-txt", "healthz", "admin", "api", "assets", "page", "wp-content", "wp-admin", "wp-login-php", "language",
        ] + Language.known.map(\.code)
    )

    let database: any Database
    let clock: Clock
    let markdown = MarkdownRenderer()

    public init(database: any Database, clock: Clock) {
        self.database = database
        self.clock = clock
    }

    @discardableResult
    public func create(_ draft: PageDraft) async throws -> Page {
        let slug = try await validate(draft, existing: nil)
        return try await database.transaction { db in
            let page = Page()
            apply(draft, slug: slug, to: page)
            try await page.create(on: db)
            try await indexForSearch(page, on: db)
            return page
        }
    }

    @discardableResult
    public func update(_ pageID: UUID, with draft: PageDraft) async throws -> Page {
        guard let page = try await Page.find(pageID, on: database) else { throw ContentError.notFound }
        let slug = try await validate(draft, existing: page)
        return try await database.transaction { db in
            let oldSlug = page.slug
            apply(draft, slug: slug, to: page)
            try await page.update(on: db)
            try await Redirects(database: db).add(from: ContentPath.page(oldSlug), to: ContentPath.page(slug))
            try await indexForSearch(page, on: db)
            return page
        }
    }

    /// Every page in any state, for the staff list.
    public func all() async throws -> [Page] {
        try await Page.query(on: database).sort(\.$title).all()
    }

    public func page(id: UUID) async throws -> Page? {
        try await Page.find(id, on: database)
    }

    /// Every published page, for the sitemap.
    public func allPublicPages() async throws -> [Page] {
        try await Page.query(on: database).filter(\.$status == .published).sort(\.$slug).all()
    }

    private func indexForSearch(_ page: Page, on db: any Database) async throws {
        let search = SearchIndex(database: db, clock: clock)
        if page.status == .published {
            let text = [page.summary, page.bodyText].filter { !$0.isEmpty }.joined(separator: " ")
            try await search.index(.page, id: page.requireID(), title: page.title, body: text)
        } else {
            try await search.remove(.page, id: page.requireID())
        }
    }

    /// A published page by slug.
    public func publicPage(slug: String) async throws -> Page? {
        try await Page.query(on: database).filter(\.$slug == slug).filter(\.$status == .published).first()
    }

    /// A published page by id (the home page finds its mission and platform this way).
    public func publicPage(id: UUID) async throws -> Page? {
        try await Page.query(on: database).filter(\.$id == id).filter(\.$status == .published).first()
    }

    private func validate(_ draft: PageDraft, existing: Page?) async throws -> String {
        var errors = ValidationErrors()
        let (_, slug) = try await TitleAndSlug.check(title: draft.title, slug: draft.slug, errors: &errors) { slug in
            if Self.reservedSlugs.contains(slug) { return false }  // reported below, as reserved rather than taken
            let clash = try await Page.query(on: database).withDeleted().filter(\.$slug == slug).first()
            return clash != nil && clash?.id != existing?.id
        }
        if Self.reservedSlugs.contains(slug) { errors.add(field: "slug", message: "error.slug_reserved") }
        if (draft.bodyFormat ?? existing?.bodyFormat ?? .markdown) == .markdown {
            for problem in markdown.problems(in: draft.body) { errors.add(field: "body", message: problem) }
        }
        try errors.throwIfAny()
        return slug
    }

    private func apply(_ draft: PageDraft, slug: String, to page: Page) {
        page.title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        page.slug = slug
        page.summary = draft.summary.trimmingCharacters(in: .whitespacesAndNewlines)
        let format = draft.bodyFormat ?? (page.id == nil ? .markdown : page.bodyFormat)
        page.bodyFormat = format
        page.body = format == .html ? HTMLSanitizer().sanitize(draft.body).html : draft.body
        page.status = draft.status
        if let publishedAt = draft.publishedAt { page.publishedAt = publishedAt }
        if draft.status == .published, page.publishedAt == nil { page.publishedAt = clock.now }
    }
}
