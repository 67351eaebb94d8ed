import CommonsAudit
import CommonsContent
import CommonsCore
import FluentKit
import Foundation

/// Moves a WordPress site in: posts, pages, categories, tags, bylines and attachments from an
/// export file, every old address answering 301 to its new page. All of it happens in one
/// transaction, so a failure leaves the site as it was; items are matched by their WordPress
/// id (or guid), so importing the same file again changes only what changed.
public struct WordPressImport: Sendable {
    public struct Options: Sendable {
        /// A copy of `wp-content/uploads`, where attachment files are looked up.
        public var uploads: URL?
        /// Work everything out and report it, then roll back.
        public var dryRun: Bool
        /// Called with a line per item as the import goes.
        public var progress: (@Sendable (String) -> Void)?

        public init(uploads: URL? = nil, dryRun: Bool = false, progress: (@Sendable (String) -> Void)? = nil) {
            self.uploads = uploads
            self.dryRun = dryRun
            self.progress = progress
        }
    }

    /// Created, updated and unchanged counts of one kind of item.
    public struct Tally: Sendable, Equatable {
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        public var total: Int { created + updated + unchanged }

        public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.created = created
            self.updated = updated
            self.unchanged = unchanged
        }
    }

    /// What an import did (or, on a dry run, would do).
    public struct Report: Sendable {
        public var posts = Tally()
        public var pages = Tally()
        public var documents = Tally()
        public var categories = Tally()
        public var tags = Tally()
        /// Old addresses that now answer 301 (new or changed in this import).
        public var redirects = 0
        public var shortcodesRemoved = 0
        /// Items not imported, with the reason.
        public var skipped: [(item: String, reason: String)] = []
        public var dryRun = false

        public var summary: String {
            func line(_ name: String, _ tally: Tally) -> String {
                "\(name): \(tally.created) new, \(tally.updated) updated, \(tally.unchanged) unchanged"
            }
            var lines = [
                dryRun ? "Dry run: nothing was written. The import would bring in:" : "Imported:",
                "  " + line("posts", posts), "  " + line("pages", pages), "  " + line("documents", documents),
                "  " + line("categories", categories), "  " + line("tags", tags),
                "  redirects: \(redirects) old addresses newly answering 301",
                "  shortcodes removed: \(shortcodesRemoved)",
                "  skipped: \(skipped.count)",
            ]
            lines += skipped.map { "    - \($0.item): \($0.reason)" }
            return lines.joined(separator: "\n")
        }
    }

    let database: any Database
    let clock: Clock
    /// The site's time zone: WordPress's local dates are read in it when an item has no GMT date.
    let timeZone: TimeZone

    /// `timeZone` reads dates the export gives only in the WordPress site's local time.
    public init(database: any Database, clock: Clock, timeZone: TimeZone) {
        self.database = database
        self.clock = clock
        self.timeZone = timeZone
    }

    /// Imports an export file's bytes. Throws `WXRError` for a file that is not a WordPress
    /// export (nothing is written), or any storage error (everything is rolled back). The
    /// import and its line in the audit log commit together; a dry run records nothing.
    public func run(_ data: Data, options: Options = Options(), by actor: AuditActor) async throws -> Report {
        let export = try WXRExport.read(data)
        do {
            return try await database.transaction { db in
                var run = Run(export: export, options: options, database: db, clock: clock, timeZone: timeZone)
                var report = try await run.go()
                report.dryRun = options.dryRun
                if options.dryRun { throw DryRun(report: report) }
                try await AuditLog(database: db).record(
                    "content.imported",
                    by: actor,
                    detail:
                        "wordpress posts=\(report.posts.total) pages=\(report.pages.total) documents=\(report.documents.total) redirects=\(report.redirects)",
                    at: clock.now
                )
                return report
            }
        } catch let dryRun as DryRun {
            return dryRun.report
        }
    }

    struct DryRun: Error {
        let report: Report
    }
}

/// One import, step by step.
private struct Run {
    let export: WXRExport
    let options: WordPressImport.Options
    let database: any Database
    let clock: Clock
    let timeZone: TimeZone
    var report = WordPressImport.Report()
    /// Old path (no trailing slash) → new path, for links in bodies and for redirects.
    var moved: [String: String] = [:]
    /// Hosts the old site answered on, so absolute links to it are recognised.
    let oldHosts: Set<String>

    init(export: WXRExport, options: WordPressImport.Options, database: any Database, clock: Clock, timeZone: TimeZone) {
        self.export = export
        self.options = options
        self.database = database
        self.clock = clock
        self.timeZone = timeZone
        oldHosts = Set([export.siteURL, export.blogURL].compactMap { URL(string: $0)?.host?.lowercased() })
    }

    static let importedKinds: Set<String> = ["post", "page", "attachment"]

    mutating func go() async throws -> WordPressImport.Report {
        try await importTerms()
        let items = export.items.filter { item in
            guard Self.importedKinds.contains(item.postType) else {
                if !["revision", "nav_menu_item", "customize_changeset", "custom_css", "oembed_cache", "wp_global_styles"].contains(item.postType) {
                    report.skipped.append((label(item), "WordPress content of type “\(item.postType)” is not imported"))
                }
                return false
            }
            guard !["trash", "auto-draft", "inherit"].contains(item.status) || item.postType == "attachment" else {
                report.skipped.append((label(item), "status “\(item.status)” is not imported"))
                return false
            }
            return true
        }
        // Every new address first, so a body can link to an item that comes later in the file.
        var plans: [Int: Plan] = [:]
        for item in items {
            if let plan = try await plan(item) { plans[item.postID] = plan }
        }
        var done = 0
        for item in items {
            done += 1
            options.progress?("[\(done)/\(items.count)] \(item.postType) \(label(item))")
            guard let plan = plans[item.postID] else { continue }
            switch plan.kind {
            case .document: try await importDocument(item, plan)
            case .post: try await importPost(item, plan)
            case .page: try await importPage(item, plan)
            }
        }
        try await addRedirects(items: items, plans: plans)
        return report
    }

    func label(_ item: WXRExport.Item) -> String {
        "#\(item.postID) “\(item.title.isEmpty ? item.postName : item.title)”"
    }

    // MARK: Categories and tags

    mutating func importTerms() async throws {
        let taxonomy = Taxonomy(database: database)
        var slugs: [String: String] = [:]
        for term in export.categories {
            let slug = Self.slug(term.slug, fallback: "category-\(term.id ?? 0)")
            slugs[term.slug] = slug
            let before = try await taxonomy.category(slug: slug)
            let (_, changed) = try await taxonomy.category(slug: slug, name: term.name, description: term.description)
            tally(&report.categories, existed: before != nil, changed: changed)
            if slug != term.slug { moved[ContentPath.category(term.slug)] = ContentPath.category(slug) }
        }
        // WordPress nests a child category's address under its parents': /category/parent/child/.
        let parents = Dictionary(export.categories.map { ($0.slug, $0.parentSlug) }, uniquingKeysWith: { first, _ in first })
        for term in export.categories where term.parentSlug != nil {
            var chain = [term.slug]
            var parent = term.parentSlug
            while let next = parent, !chain.contains(next), chain.count < 10 {
                chain.insert(next, at: 0)
                parent = parents[next] ?? nil
            }
            if let slug = slugs[term.slug] { moved["/category/" + chain.joined(separator: "/")] = ContentPath.category(slug) }
        }
        for term in export.tags {
            let slug = Self.slug(term.slug, fallback: "tag-\(term.id ?? 0)")
            let before = try await taxonomy.tag(slug: slug)
            let (_, changed) = try await taxonomy.tag(slug: slug, name: term.name)
            tally(&report.tags, existed: before != nil, changed: changed)
            if slug != term.slug { moved[ContentPath.tag(term.slug)] = ContentPath.tag(slug) }
        }
        for term in export.categories {
            if let id = term.id, let slug = slugs[term.slug] { moved["/?cat=\(id)"] = ContentPath.category(slug) }
        }
    }

    func tally(_ tally: inout WordPressImport.Tally, existed: Bool, changed: Bool) {
        if !existed {
            tally.created += 1
        } else if changed {
            tally.updated += 1
        } else {
            tally.unchanged += 1
        }
    }

    /// A WordPress slug (percent-encoded UTF-8 allowed) as a Commons slug.
    static func slug(_ raw: String, fallback: String) -> String {
        let decoded = raw.removingPercentEncoding ?? raw
        if let slug = Slug.from(title: decoded.replacingOccurrences(of: "-", with: " ")) { return slug.value }
        return fallback
    }

    // MARK: Planning

    struct Plan {
        var kind: ImportedItem.Kind
        /// The local item already imported from this one, when there is one.
        var existing: UUID?
        var slug: String
        var path: String
    }

    mutating func plan(_ item: WXRExport.Item) async throws -> Plan? {
        let kind: ImportedItem.Kind =
            switch item.postType {
            case "post": .post
            case "page": .page
            default: .document
            }
        let match = try await ImportedItem.query(on: database).filter(\.$source == "wordpress")
            .group(.or) { $0.filter(\.$sourceID == item.postID).filter(\.$guid == (item.guid.isEmpty ? "-" : item.guid)) }
            .first()
        var existing: UUID?
        var slug: String?
        if let match, match.kind == kind {
            switch kind {
            case .post: slug = try await Post.query(on: database).withDeleted().filter(\.$id == match.localID).first()?.slug
            case .page: slug = try await Page.query(on: database).withDeleted().filter(\.$id == match.localID).first()?.slug
            case .document: slug = try await Document.query(on: database).withDeleted().filter(\.$id == match.localID).first()?.slug
            }
            if slug != nil { existing = match.localID }
        }
        if slug == nil {
            let wanted = Self.slug(item.postName, fallback: "")
            var base = wanted.isEmpty ? (Slug.from(title: item.title)?.value ?? "\(kind.rawValue)-\(item.postID)") : wanted
            if kind == .page, Pages.reservedSlugs.contains(base) { base += "-page" }
            slug = try await freeSlug(base, kind: kind, id: item.postID)
        }
        guard let slug else { return nil }
        let path =
            switch kind {
            case .post: ContentPath.post(slug)
            case .page: ContentPath.page(slug)
            case .document: ContentPath.document(slug)
            }
        // Old addresses of this item, for links in bodies.
        if let old = oldPath(item.link) { moved[old] = path }
        switch kind {
        case .post: moved["/?p=\(item.postID)"] = path
        case .page: moved["/?page_id=\(item.postID)"] = path
        case .document:
            moved["/?attachment_id=\(item.postID)"] = path
            if let file = oldPath(item.attachmentURL) { moved[file] = ContentPath.documentFile(slug) }
        }
        return Plan(kind: kind, existing: existing, slug: slug, path: path)
    }

    /// `base`, or `base-ID` when another item already has it.
    func freeSlug(_ base: String, kind: ImportedItem.Kind, id: Int) async throws -> String {
        func taken(_ slug: String) async throws -> Bool {
            switch kind {
            case .post: try await Post.query(on: database).withDeleted().filter(\.$slug == slug).first() != nil
            case .page: try await Page.query(on: database).withDeleted().filter(\.$slug == slug).first() != nil
            case .document: try await Document.query(on: database).withDeleted().filter(\.$slug == slug).first() != nil
            }
        }
        if try await !taken(base) { return base }
        return "\(base)-\(id)"
    }

    /// The path of an address on the old site, without its trailing slash; nil for other sites.
    func oldPath(_ address: String) -> String? {
        Lookup(moved: moved, oldHosts: oldHosts).path(of: address)
    }

    mutating func body(_ html: String) -> String {
        let lookup = Lookup(moved: moved, oldHosts: oldHosts)
        let output = HTMLSanitizer { lookup.rewrite($0) }.sanitize(html)
        report.shortcodesRemoved += output.removedShortcodes
        return output.html
    }

    /// Old addresses and where they live now.
    struct Lookup: Sendable {
        let moved: [String: String]
        let oldHosts: Set<String>

        /// The path (and query) of an address on the old site, without a trailing slash; nil
        /// for an address on another site.
        func path(of address: String) -> String? {
            let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, let url = URL(string: trimmed) else { return nil }
            if let host = url.host?.lowercased() {
                let bare = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
                guard oldHosts.contains(host) || oldHosts.contains(bare) || oldHosts.contains("www." + bare) else { return nil }
            } else if !trimmed.hasPrefix("/") {
                return nil
            }
            var path = url.path(percentEncoded: true)
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
            if path.isEmpty { path = "/" }
            if let query = url.query(percentEncoded: true), !query.isEmpty { path += "?" + query }
            return path
        }

        /// Where a link or image in a body should point now; nil leaves it as it is.
        func rewrite(_ address: String) -> String? {
            guard let path = path(of: address) else { return nil }
            let fragment = URL(string: address.trimmingCharacters(in: .whitespaces))?.fragment.map { "#" + $0 } ?? ""
            if let target = moved[path] { return target + fragment }
            // WordPress's resized copies of an image (photo-300x200.jpg) point at the original.
            if path.contains("/wp-content/uploads/"),
                let resized = path.range(of: #"-[0-9]+x[0-9]+(\.[A-Za-z0-9]+)$"#, options: .regularExpression)
            {
                let original = path.replacingCharacters(in: resized, with: String(path[resized].drop { $0 != "." }))
                if let target = moved[original] { return target }
            }
            return nil
        }
    }

    // MARK: Items

    /// When an item was published: the GMT date, else the local date read in the site's zone.
    func date(_ item: WXRExport.Item) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        if !item.postDateGMT.hasPrefix("0000") {
            formatter.timeZone = TimeZone(identifier: "UTC")
            if let date = formatter.date(from: item.postDateGMT) { return date }
        }
        formatter.timeZone = timeZone
        return item.postDate.hasPrefix("0000") ? nil : formatter.date(from: item.postDate)
    }

    func terms(_ item: WXRExport.Item, domain: String) -> [String] {
        let names = Dictionary(
            (domain == "category" ? export.categories : export.tags).map { ($0.slug, $0.name) },
            uniquingKeysWith: { first, _ in first }
        )
        return item.terms.filter { $0.domain == domain }.map { names[$0.slug] ?? $0.name }
    }

    func byline(_ item: WXRExport.Item) -> String {
        export.authors[item.creator] ?? item.creator
    }

    func remember(_ item: WXRExport.Item, kind: ImportedItem.Kind, localID: UUID) async throws {
        let row =
            try await ImportedItem.query(on: database).filter(\.$source == "wordpress").filter(\.$sourceID == item.postID).first()
            ?? ImportedItem()
        row.source = "wordpress"
        row.sourceID = item.postID
        row.guid = item.guid
        row.kind = kind
        row.localID = localID
        try await row.save(on: database)
    }

    mutating func importPost(_ item: WXRExport.Item, _ plan: Plan) async throws {
        let status: PublicationStatus
        switch item.status {
        case "publish": status = .published
        case "future": status = .scheduled
        default: status = .draft  // draft, pending, private
        }
        let publishAt = date(item)
        let draft = PostDraft(
            title: item.title.isEmpty ? plan.slug.replacingOccurrences(of: "-", with: " ").capitalized : item.title,
            slug: plan.slug,
            summary: HTMLSanitizer().sanitize(item.excerpt).text,
            body: body(item.content),
            status: status == .scheduled && publishAt == nil ? .draft : status,
            publishAt: status == .draft ? nil : publishAt,
            byline: byline(item),
            categories: terms(item, domain: "category"),
            tags: terms(item, domain: "post_tag"),
            bodyFormat: .html
        )
        let newsroom = Newsroom(database: database, clock: clock)
        if let id = plan.existing,
            let post = try await Post.query(on: database).withDeleted().filter(\.$id == id).with(\.$categories).with(\.$tags).first()
        {
            let same =
                post.title == draft.title && post.slug == draft.slug && post.summary == draft.summary && post.body == draft.body
                && post.status == draft.status && post.publishAt == draft.publishAt && post.byline == draft.byline
                && Set(post.categories.map(\.name)) == Set(draft.categories) && Set(post.tags.map(\.name)) == Set(draft.tags)
                && post.deletedAt == nil
            if same {
                report.posts.unchanged += 1
            } else {
                if post.deletedAt != nil { try await post.restore(on: database) }
                try await newsroom.update(id, with: draft)
                report.posts.updated += 1
            }
        } else {
            let post = try await newsroom.create(draft)
            try await remember(item, kind: .post, localID: post.requireID())
            report.posts.created += 1
        }
    }

    mutating func importPage(_ item: WXRExport.Item, _ plan: Plan) async throws {
        let draft = PageDraft(
            title: item.title.isEmpty ? plan.slug.capitalized : item.title,
            slug: plan.slug,
            summary: HTMLSanitizer().sanitize(item.excerpt).text,
            body: body(item.content),
            status: item.status == "publish" ? .published : .draft,
            bodyFormat: .html,
            publishedAt: date(item)
        )
        let pages = Pages(database: database, clock: clock)
        if let id = plan.existing, let page = try await Page.query(on: database).withDeleted().filter(\.$id == id).first() {
            let same =
                page.title == draft.title && page.slug == draft.slug && page.summary == draft.summary && page.body == draft.body
                && page.status == draft.status && page.deletedAt == nil
            if same {
                report.pages.unchanged += 1
            } else {
                if page.deletedAt != nil { try await page.restore(on: database) }
                try await pages.update(id, with: draft)
                report.pages.updated += 1
            }
        } else {
            let page = try await pages.create(draft)
            try await remember(item, kind: .page, localID: page.requireID())
            report.pages.created += 1
        }
    }

    mutating func importDocument(_ item: WXRExport.Item, _ plan: Plan) async throws {
        let relative = item.attachedFile.isEmpty ? Self.uploadsPath(of: item.attachmentURL) : item.attachedFile
        guard let uploads = options.uploads else {
            report.skipped.append((label(item), "no --uploads folder was given, so its file \(relative ?? item.attachmentURL) was not found"))
            return
        }
        guard let relative, !relative.split(separator: "/").contains(".."),
            let bytes = FileManager.default.contents(atPath: uploads.appendingPathComponent(relative).path)
        else {
            report.skipped.append((label(item), "file not found in the uploads folder: \(relative ?? item.attachmentURL)"))
            return
        }
        let library = DocumentLibrary(database: database, clock: clock)
        let title = item.title.isEmpty ? plan.slug : item.title
        let description = HTMLSanitizer().sanitize(item.content.isEmpty ? item.excerpt : item.content).text
        let fileName = (relative as NSString).lastPathComponent
        do {
            if let id = plan.existing, let document = try await Document.query(on: database).filter(\.$id == id).first() {
                let file = try await library.file(of: document)
                let sameFile = file.bytes == bytes
                if document.title == title && document.description == description && sameFile {
                    report.documents.unchanged += 1
                    return
                }
                try await library.update(id, title: title, slug: document.slug, description: description)
                if !sameFile { try await library.replaceFile(of: id, fileName: fileName, bytes: bytes, keepsUnreadablePictures: true) }
                report.documents.updated += 1
            } else {
                let document = try await library.add(
                    DocumentUpload(
                        title: title,
                        slug: plan.slug,
                        description: description,
                        fileName: fileName,
                        bytes: bytes,
                        publishedAt: date(item),
                        keepsUnreadablePictures: true
                    )
                )
                try await remember(item, kind: .document, localID: document.requireID())
                report.documents.created += 1
            }
        } catch let problems as ValidationErrors {
            let reason = problems["file"] != nil ? "this kind of file cannot be published (\(fileName))" : "it could not be stored: \(problems)"
            report.skipped.append((label(item), reason))
        }
    }

    /// `2016/12/flyer.pdf` from `https://example.org/wp-content/uploads/2016/12/flyer.pdf`.
    static func uploadsPath(of address: String) -> String? {
        guard let range = address.range(of: "/wp-content/uploads/") else { return nil }
        let rest = String(address[range.upperBound...])
        return rest.removingPercentEncoding ?? rest
    }

    // MARK: Redirects

    mutating func addRedirects(items: [WXRExport.Item], plans: [Int: Plan]) async throws {
        var targets = moved
        // Date archives (/2016, /2016/12, /2016/12/08) have no counterpart: they go to the news.
        let calendar = { () -> Calendar in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            return calendar
        }()
        for item in items where item.postType == "post" && item.status == "publish" {
            guard let date = date(item) else { continue }
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            guard let year = parts.year, let month = parts.month, let day = parts.day else { continue }
            let y = String(year)
            let m = month < 10 ? "0\(month)" : "\(month)"
            let d = day < 10 ? "0\(day)" : "\(day)"
            for path in ["/\(y)", "/\(y)/\(m)", "/\(y)/\(m)/\(d)"] where targets[path] == nil { targets[path] = "/news" }
        }
        // Only the items that were imported: a skipped item's old address has nowhere to go.
        let imported = Set(plans.values.map(\.path))
        let redirects = Redirects(database: database)
        for (from, to) in targets.sorted(by: { $0.key < $1.key }) where from != to {
            let isItem = imported.contains(to) || to.hasSuffix("/file") || to.hasPrefix("/category/") || to.hasPrefix("/tag/") || to == "/news"
            guard isItem, from != "/" else { continue }
            if to.hasSuffix("/file"), !(try await documentExists(fileTarget: to)) { continue }
            if try await redirects.target(for: from) != to {
                try await redirects.add(from: from, to: to)
                report.redirects += 1
            }
        }
    }

    func documentExists(fileTarget: String) async throws -> Bool {
        let slug = fileTarget.dropFirst("/documents/".count).dropLast("/file".count)
        return try await Document.query(on: database).filter(\.$slug == String(slug)).first() != nil
    }
}
