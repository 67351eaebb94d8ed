import CommonsCore
import FluentKit
import Foundation
import SQLKit

/// What an editor fills in to write or change a post.
public struct PostDraft: Sendable {
    public var title: String
    /// Nil or empty: made from the title.
    public var slug: String?
    public var summary: String
    public var body: String
    public var status: PublicationStatus
    /// Required when scheduled; "now" when published without one.
    public var publishAt: Date?
    public var byline: String
    /// Category names; missing categories are created.
    public var categories: [String]
    /// Tag names; missing tags are created.
    public var tags: [String]
    /// An image from the document library shown at the top of the post and in link previews.
    public var featuredDocumentID: UUID?
    /// Nil keeps a post's format (Markdown for a new one); HTML bodies are sanitized when saved.
    public var bodyFormat: BodyFormat?

    public init(
        title: String,
        slug: String? = nil,
        summary: String = "",
        body: String,
        status: PublicationStatus = .draft,
        publishAt: Date? = nil,
        byline: String = "",
        categories: [String] = [],
        tags: [String] = [],
        featuredDocumentID: UUID? = nil,
        bodyFormat: BodyFormat? = nil
    ) {
        self.title = title
        self.slug = slug
        self.summary = summary
        self.body = body
        self.status = status
        self.publishAt = publishAt
        self.byline = byline
        self.categories = categories
        self.tags = tags
        self.featuredDocumentID = featuredDocumentID
        self.bodyFormat = bodyFormat
    }
}

/// One page of the public news list.
public struct NewsPage: Sendable {
    public let posts: [Post]
    /// 1-based.
    public let page: Int
    public let pageCount: Int
    public let total: Int

    public var hasOlder: Bool { page < pageCount }
    public var hasNewer: Bool { page > 1 }
}

/// The coalition's news: writing, scheduling and publishing posts, and reading them back as the public sees them.
public struct Newsroom: Sendable {
    public static let postsPerPage = 10

    let database: any Database
    let clock: Clock
    let markdown = MarkdownRenderer()

    public init(database: any Database, clock: Clock) {
        self.database = database
        self.clock = clock
    }

    /// Creates a post; the categories and tags it names are created as needed, all in one transaction.
    @discardableResult
    public func create(_ draft: PostDraft) async throws -> Post {
        let slug = try await validate(draft, existing: nil)
        let now = clock.now
        return try await database.transaction { db in
            let post = Post()
            apply(draft, slug: slug, to: post, now: now)
            try await post.create(on: db)
            try await attachTaxonomy(draft, to: post, on: db)
            try await indexForSearch(post, on: db)
            return post
        }
    }

    /// Saves a new version of a post, keeping the previous one as a revision. A changed slug
    /// leaves a redirect from the old address, so links already shared keep working.
    @discardableResult
    public func update(_ postID: UUID, with draft: PostDraft) async throws -> Post {
        guard let post = try await Post.find(postID, on: database) else { throw ContentError.notFound }
        let slug = try await validate(draft, existing: post)
        let now = clock.now
        return try await database.transaction { db in
            try await keepRevision(of: post, on: db)
            let oldSlug = post.slug
            apply(draft, slug: slug, to: post, now: now)
            try await post.update(on: db)
            try await post.$categories.detachAll(on: db)
            try await post.$tags.detachAll(on: db)
            try await attachTaxonomy(draft, to: post, on: db)
            try await Redirects(database: db).add(from: ContentPath.post(oldSlug), to: ContentPath.post(slug))
            try await indexForSearch(post, on: db)
            return post
        }
    }

    /// Brings back a post's text as it stood in one of its revisions; the text it replaces
    /// becomes a revision in turn, so a restore can itself be undone. The slug stays as it is.
    @discardableResult
    public func restore(revision revisionID: UUID) async throws -> Post {
        guard let revision = try await PostRevision.find(revisionID, on: database),
            let post = try await Post.find(revision.$post.id, on: database)
        else { throw ContentError.notFound }
        return try await database.transaction { db in
            try await keepRevision(of: post, on: db)
            post.title = revision.title
            post.summary = revision.summary
            post.body = revision.body
            post.byline = revision.byline
            try await post.update(on: db)
            try await indexForSearch(post, on: db)
            return post
        }
    }

    /// Takes a post down; its address then answers 410 Gone. The row stays (soft delete) so
    /// the slug is never reused for something else.
    public func delete(_ postID: UUID) async throws {
        guard let post = try await Post.find(postID, on: database) else { throw ContentError.notFound }
        try await database.transaction { db in
            try await post.delete(on: db)
            try await SearchIndex(database: db, clock: clock).remove(.post, id: postID)
        }
    }

    /// The public posts whose text links to a document, newest first.
    public func publicPosts(linkingToDocument slug: String) async throws -> [Post] {
        let candidates = try await publicQuery().filter(\.$body, .contains(inverse: false, .anywhere), ContentPath.document(slug)).all()
        return candidates.filter { DocumentLinks.slugs(in: $0.body).contains(slug) }
    }

    /// Every public post's slug and last change (its update, else its publishing), newest
    /// first, for the sitemap. Read as plain rows: building 10,000 `Post` models, even with three
    /// columns selected, took 0.7 s of reflection; the same rows as plain values take a few ms.
    public func publicPostDates() async throws -> [(slug: String, date: Date?)] {
        struct Row: Decodable {
            let slug: String
            let publish_at: Date?
            let updated_at: Date?
        }
        let rows = try await (database as! any SQLDatabase).raw(
            """
            SELECT slug, publish_at, updated_at FROM \(ident: Post.schema)
            WHERE \(Post.isPublicSQL(at: clock.now))
            ORDER BY publish_at DESC, slug ASC
            """
        ).all(decoding: Row.self)
        return rows.map { ($0.slug, $0.updated_at ?? $0.publish_at) }
    }

    /// The newest public posts of one category, for its feed.
    public func latestPublicPosts(inCategory category: Category, limit: Int) async throws -> [Post] {
        let categoryID = try category.requireID()
        return try await publicQuery()
            .join(PostCategory.self, on: \Post.$id == \PostCategory.$post.$id)
            .filter(PostCategory.self, \.$category.$id == categoryID)
            .with(\.$categories)
            .limit(limit)
            .all()
    }

    /// The public news, newest first, `postsPerPage` a page; nil when `page` is beyond the last.
    public func publicPosts(page: Int) async throws -> NewsPage? {
        try await publicPosts(page: page, matching: { $0 })
    }

    /// The public posts of one category, paginated like the news.
    public func publicPosts(inCategory category: Category, page: Int) async throws -> NewsPage? {
        let categoryID = try category.requireID()
        return try await publicPosts(page: page, emptyIsNotFound: true) { query in
            query.join(PostCategory.self, on: \Post.$id == \PostCategory.$post.$id).filter(PostCategory.self, \.$category.$id == categoryID)
        }
    }

    /// The public posts with one tag, paginated like the news.
    public func publicPosts(withTag tag: Tag, page: Int) async throws -> NewsPage? {
        let tagID = try tag.requireID()
        return try await publicPosts(page: page, emptyIsNotFound: true) { query in
            query.join(PostTag.self, on: \Post.$id == \PostTag.$post.$id).filter(PostTag.self, \.$tag.$id == tagID)
        }
    }

    /// The newest public posts, for the home page and feeds.
    public func latestPublicPosts(limit: Int) async throws -> [Post] {
        try await publicQuery().with(\.$categories).with(\.$featuredDocument).limit(limit).all()
    }

    /// A post as the public may see it: nil when it does not exist, is a draft, or is not yet due.
    public func publicPost(slug: String) async throws -> Post? {
        try await publicQuery().filter(\.$slug == slug).with(\.$categories).with(\.$tags).with(\.$featuredDocument).first()
    }

    /// True when a post with this slug existed and was deleted (so its address answers 410).
    public func wasDeleted(slug: String) async throws -> Bool {
        try await Post.query(on: database).withDeleted().filter(\.$slug == slug).filter(\.$deletedAt != nil).first() != nil
    }

    /// The public posts just before and after one, in publishing order.
    public func neighbours(of post: Post) async throws -> (older: Post?, newer: Post?) {
        guard let publishAt = post.publishAt else { return (nil, nil) }
        let older = try await publicQuery().filter(\.$publishAt < publishAt).first()
        let newer = try await visible(Post.query(on: database)).filter(\.$publishAt > publishAt).sort(\.$publishAt, .ascending).first()
        return (older, newer)
    }

    /// A post in any state, for the staff editor.
    public func post(id: UUID) async throws -> Post? {
        try await Post.query(on: database).filter(\.$id == id).with(\.$categories).with(\.$tags).first()
    }

    /// Every post in any state, most recently changed first, for the staff list.
    public func allPosts() async throws -> [Post] {
        try await Post.query(on: database).sort(\.$updatedAt, .descending).all()
    }

    /// The previous versions of a post, newest first.
    public func revisions(of postID: UUID) async throws -> [PostRevision] {
        try await PostRevision.query(on: database).filter(\.$post.$id == postID).sort(\.$savedAt, .descending).all()
    }

    // MARK: -

    /// - Parameter emptyIsNotFound: a category or tag with no public post is not found: its name
    ///   may come only from drafts or scheduled posts, which must not show before their time.
    private func publicPosts(
        page: Int,
        emptyIsNotFound: Bool = false,
        matching narrow: (QueryBuilder<Post>) -> QueryBuilder<Post>
    ) async throws -> NewsPage? {
        guard page >= 1 else { return nil }
        let total = try await narrow(visible(Post.query(on: database))).count()
        if emptyIsNotFound, total == 0 { return nil }
        let pageCount = max(1, (total + Self.postsPerPage - 1) / Self.postsPerPage)
        guard page <= pageCount else { return nil }
        guard let start = Pagination.offset(page: page, perPage: Self.postsPerPage) else { return nil }
        let posts = try await narrow(publicQuery()).with(\.$categories).with(\.$featuredDocument).range(start..<(start + Self.postsPerPage)).all()
        return NewsPage(posts: posts, page: page, pageCount: pageCount, total: total)
    }

    private func visible(_ query: QueryBuilder<Post>) -> QueryBuilder<Post> {
        Post.publicOnly(query, at: clock.now)
    }

    private func publicQuery() -> QueryBuilder<Post> {
        visible(Post.query(on: database)).sort(\.$publishAt, .descending).sort(\.$slug, .ascending)
    }

    private func validate(_ draft: PostDraft, existing: Post?) async throws -> String {
        var errors = ValidationErrors()
        let (_, slug) = try await TitleAndSlug.check(title: draft.title, slug: draft.slug, errors: &errors) { slug in
            let clash = try await Post.query(on: database).withDeleted().filter(\.$slug == slug).first()
            return clash != nil && clash?.id != existing?.id
        }
        if (draft.bodyFormat ?? existing?.bodyFormat ?? .markdown) == .markdown {
            for problem in markdown.problems(in: draft.body) { errors.add(field: "body", message: problem) }
        }
        if draft.status == .scheduled && draft.publishAt == nil { errors.add(field: "publish_at", message: "error.publish_at_required") }
        if let imageID = draft.featuredDocumentID {
            let image = try await Document.find(imageID, on: database)
            if image.flatMap({ FileType(contentType: $0.contentType) })?.isPicture != true {
                errors.add(field: "featured_document", message: "error.featured_image_invalid")
            }
        }
        try errors.throwIfAny()
        return slug
    }

    private func keepRevision(of post: Post, on db: any Database) async throws {
        let revision = PostRevision()
        revision.$post.id = try post.requireID()
        revision.title = post.title
        revision.summary = post.summary
        revision.body = post.body
        revision.byline = post.byline
        revision.slug = post.slug
        try await revision.create(on: db)
    }

    private func indexForSearch(_ post: Post, on db: any Database) async throws {
        let text = [post.summary, post.bodyText].filter { !$0.isEmpty }.joined(separator: " ")
        try await SearchIndex(database: db, clock: clock).index(.post, id: post.requireID(), title: post.title, body: text)
    }

    private func apply(_ draft: PostDraft, slug: String, to post: Post, now: Date) {
        post.title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        post.slug = slug
        post.summary = draft.summary.trimmingCharacters(in: .whitespacesAndNewlines)
        let format = draft.bodyFormat ?? (post.id == nil ? .markdown : post.bodyFormat)
        post.bodyFormat = format
        post.body = format == .html ? HTMLSanitizer().sanitize(draft.body).html : draft.body
        post.status = draft.status
        post.byline = draft.byline.trimmingCharacters(in: .whitespacesAndNewlines)
        post.$featuredDocument.id = draft.featuredDocumentID
        switch draft.status {
        case .draft: post.publishAt = draft.publishAt
        case .scheduled: post.publishAt = draft.publishAt
        case .published: post.publishAt = draft.publishAt ?? post.publishAt ?? now
        }
    }

    private func attachTaxonomy(_ draft: PostDraft, to post: Post, on db: any Database) async throws {
        let taxonomy = Taxonomy(database: db)
        for name in draft.categories {
            let category = try await taxonomy.category(named: name)
            try await post.$categories.attach(category, method: .ifNotExists, on: db)
        }
        for name in draft.tags {
            let tag = try await taxonomy.tag(named: name)
            try await post.$tags.attach(tag, method: .ifNotExists, on: db)
        }
    }
}

/// Errors of the content concern that are not about a field's value.
public enum ContentError: NotFoundError, Equatable, Sendable {
    case notFound
}
