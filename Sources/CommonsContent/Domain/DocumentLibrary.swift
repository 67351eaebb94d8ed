import CommonsCore
import CommonsImages
import Crypto
import FluentKit
import Foundation

/// A file an editor hands to the library, with what readers will see of it.
public struct DocumentUpload: Sendable {
    public var title: String
    public var slug: String?
    public var description: String
    public var fileName: String
    public var bytes: Data
    /// When it was first published; nil for now.
    public var publishedAt: Date?
    /// A picture that does not decode is kept as a plain file (without resized copies) instead
    /// of refused: an import keeps what the old site had; an editor's upload is refused.
    public var keepsUnreadablePictures: Bool

    public init(
        title: String,
        slug: String? = nil,
        description: String = "",
        fileName: String,
        bytes: Data,
        publishedAt: Date? = nil,
        keepsUnreadablePictures: Bool = false
    ) {
        self.title = title
        self.slug = slug
        self.description = description
        self.fileName = fileName
        self.bytes = bytes
        self.publishedAt = publishedAt
        self.keepsUnreadablePictures = keepsUnreadablePictures
    }
}

/// The coalition's published files, stored in the database and named by their SHA-256,
/// so one backup of the database holds the whole site.
public struct DocumentLibrary: Sendable {
    /// 25 MB, the largest file accepted.
    public static let maximumBytes = 25 * 1024 * 1024
    public static let documentsPerPage = 20

    let database: any Database
    let clock: Clock

    public init(database: any Database, clock: Clock) {
        self.database = database
        self.clock = clock
    }

    /// Checks and stores a file and its document in one transaction.
    @discardableResult
    public func add(_ upload: DocumentUpload) async throws -> Document {
        var errors = ValidationErrors()
        let (title, slug) = try await TitleAndSlug.check(title: upload.title, slug: upload.slug, errors: &errors) { slug in
            try await Document.query(on: database).withDeleted().filter(\.$slug == slug).first() != nil
        }
        var checked: FileType?
        do {
            checked = try Self.check(upload.bytes)
        } catch let problem as ValidationErrors {
            errors.add(field: "file", message: problem["file"]!)
        }
        try errors.throwIfAny()
        guard let type = checked else { throw errors }

        let sha256 = Hex.string(SHA256.hash(data: upload.bytes))
        let copies = try await pictureCopies(upload.bytes, sha256: sha256, type: type, keepingUnreadable: upload.keepsUnreadablePictures)
        let now = clock.now
        return try await database.transaction { db in
            try await storeFile(upload.bytes, sha256: sha256, type: type, copies: copies, on: db)
            let document = Document()
            document.slug = slug
            document.title = title
            document.description = upload.description.trimmingCharacters(in: .whitespacesAndNewlines)
            document.$file.id = sha256
            document.contentType = type.contentType
            document.byteCount = upload.bytes.count
            document.fileName = Self.safeFileName(upload.fileName, slug: slug, type: type)
            document.publishedAt = upload.publishedAt ?? now
            try await document.create(on: db)
            try await indexForSearch(document, on: db)
            return document
        }
    }

    /// Changes what readers see of a document. A new slug leaves a redirect from the old address.
    @discardableResult
    public func update(_ id: UUID, title: String, slug: String?, description: String) async throws -> Document {
        guard let document = try await Document.find(id, on: database) else { throw ContentError.notFound }
        var errors = ValidationErrors()
        let (title, slug) = try await TitleAndSlug.check(title: title, slug: slug ?? document.slug, errors: &errors) { slug in
            let clash = try await Document.query(on: database).withDeleted().filter(\.$slug == slug).first()
            return clash != nil && clash?.id != id
        }
        try errors.throwIfAny()
        return try await database.transaction { db in
            let oldSlug = document.slug
            document.title = title
            document.slug = slug
            document.description = description.trimmingCharacters(in: .whitespacesAndNewlines)
            try await document.update(on: db)
            let redirects = Redirects(database: db)
            try await redirects.add(from: ContentPath.document(oldSlug), to: ContentPath.document(slug))
            try await redirects.add(from: ContentPath.documentFile(oldSlug), to: ContentPath.documentFile(slug))
            try await indexForSearch(document, on: db)
            return document
        }
    }

    /// Puts a new file behind a document, checked like an upload; its address stays.
    @discardableResult
    public func replaceFile(of id: UUID, fileName: String, bytes: Data, keepsUnreadablePictures: Bool = false) async throws -> Document {
        guard let document = try await Document.find(id, on: database) else { throw ContentError.notFound }
        let type = try Self.check(bytes)
        let sha256 = Hex.string(SHA256.hash(data: bytes))
        let copies = try await pictureCopies(bytes, sha256: sha256, type: type, keepingUnreadable: keepsUnreadablePictures)
        return try await database.transaction { db in
            try await storeFile(bytes, sha256: sha256, type: type, copies: copies, on: db)
            document.$file.id = sha256
            document.contentType = type.contentType
            document.byteCount = bytes.count
            document.fileName = Self.safeFileName(fileName, slug: document.slug, type: type)
            try await document.update(on: db)
            try await indexForSearch(document, on: db)
            return document
        }
    }

    /// Every document, for the staff list.
    public func all() async throws -> [Document] {
        try await Document.query(on: database).sort(\.$createdAt, .descending).all()
    }

    public func document(id: UUID) async throws -> Document? {
        try await Document.find(id, on: database)
    }

    /// The type of acceptable file bytes; a validation error for anything else.
    static func check(_ bytes: Data) throws -> FileType {
        if bytes.isEmpty { throw ValidationErrors(field: "file", message: "error.file_required") }
        if bytes.count > maximumBytes { throw ValidationErrors(field: "file", message: "error.file_too_large") }
        guard let type = FileType.sniff(bytes) else { throw ValidationErrors(field: "file", message: "error.file_type_not_allowed") }
        return type
    }

    /// A picture's resized copies, made before the transaction; none when the library already has
    /// the file (its copies came with it) or it is not a picture.
    private func pictureCopies(_ bytes: Data, sha256: String, type: FileType, keepingUnreadable: Bool) async throws -> [ResizedImage] {
        guard try await !StoredFile.exists(sha256, on: database) else { return [] }
        do {
            return try await ImageLibrary.resize(bytes, type: type)
        } catch  where keepingUnreadable {
            return []
        }
    }

    private func storeFile(_ bytes: Data, sha256: String, type: FileType, copies: [ResizedImage], on db: any Database) async throws {
        guard try await StoredFile.keep(bytes, sha256: sha256, contentType: type.contentType, on: db) else { return }
        try await ImageLibrary.store(copies, of: sha256, on: db)
    }

    private func indexForSearch(_ document: Document, on db: any Database) async throws {
        let text = [document.description, document.fileName].joined(separator: " ")
        try await SearchIndex(database: db, clock: clock).index(.document, id: document.requireID(), title: document.title, body: text)
    }

    /// A published document by slug.
    public func publicDocument(slug: String) async throws -> Document? {
        try await Document.query(on: database).filter(\.$slug == slug).filter(\.$publishedAt <= clock.now).first()
    }

    /// Every published document, for the sitemap.
    public func allPublicDocuments() async throws -> [Document] {
        try await Document.query(on: database).filter(\.$publishedAt <= clock.now).sort(\.$slug).all()
    }

    /// Takes a document down; its page and file then answer 410 Gone.
    public func delete(_ documentID: UUID) async throws {
        guard let document = try await Document.find(documentID, on: database) else { throw ContentError.notFound }
        try await database.transaction { db in
            try await document.delete(on: db)
            try await SearchIndex(database: db, clock: clock).remove(.document, id: documentID)
        }
    }

    /// True when a document with this slug existed and was deleted.
    public func wasDeleted(slug: String) async throws -> Bool {
        try await Document.query(on: database).withDeleted().filter(\.$slug == slug).filter(\.$deletedAt != nil).first() != nil
    }

    /// The bytes of a document's file.
    public func file(of document: Document) async throws -> StoredFile {
        guard let file = try await StoredFile.find(document.sha256, on: database) else { throw ContentError.notFound }
        return file
    }

    /// The published documents, newest first; nil when `page` is beyond the last.
    public func publicDocuments(page: Int) async throws -> (documents: [Document], page: Int, pageCount: Int)? {
        guard page >= 1 else { return nil }
        let query = { Document.query(on: database).filter(\.$publishedAt <= clock.now) }
        let total = try await query().count()
        let pageCount = max(1, (total + Self.documentsPerPage - 1) / Self.documentsPerPage)
        guard page <= pageCount else { return nil }
        guard let start = Pagination.offset(page: page, perPage: Self.documentsPerPage) else { return nil }
        let documents = try await query().sort(\.$publishedAt, .descending).sort(\.$slug).range(start..<(start + Self.documentsPerPage)).all()
        return (documents, page, pageCount)
    }

    /// A download name made only of safe characters, ending in the type's real extension.
    static func safeFileName(_ name: String, slug: String, type: FileType) -> String {
        let base = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
        let cleaned = base.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == ".") }
        let stem = cleaned.isEmpty ? slug : String(String.UnicodeScalarView(cleaned)).prefix(100).description
        return "\(stem).\(type.fileExtension)"
    }
}
