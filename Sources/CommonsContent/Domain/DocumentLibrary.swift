import CommonsCore
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

    public init(title: String, slug: String? = nil, description: String = "", fileName: String, bytes: Data) {
        self.title = title
        self.slug = slug
        self.description = description
        self.fileName = fileName
        self.bytes = bytes
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
        let type = FileType.sniff(upload.bytes)
        if upload.bytes.isEmpty {
            errors.add(field: "file", message: "error.file_required")
        } else if upload.bytes.count > Self.maximumBytes {
            errors.add(field: "file", message: "error.file_too_large")
        } else if type == nil {
            errors.add(field: "file", message: "error.file_type_not_allowed")
        }
        try errors.throwIfAny()
        guard let type else { throw ValidationErrors(field: "file", message: "error.file_type_not_allowed") }

        let sha256 = SHA256.hash(data: upload.bytes).map { String(format: "%02x", $0) }.joined()
        let now = clock.now
        return try await database.transaction { db in
            if try await StoredFile.find(sha256, on: db) == nil {
                let file = StoredFile()
                file.id = sha256
                file.bytes = upload.bytes
                file.contentType = type.contentType
                file.byteCount = upload.bytes.count
                try await file.create(on: db)
            }
            let document = Document()
            document.slug = slug
            document.title = title
            document.description = upload.description.trimmingCharacters(in: .whitespacesAndNewlines)
            document.$file.id = sha256
            document.contentType = type.contentType
            document.byteCount = upload.bytes.count
            document.fileName = Self.safeFileName(upload.fileName, slug: slug, type: type)
            document.publishedAt = now
            try await document.create(on: db)
            let text = [document.description, document.fileName].joined(separator: " ")
            try await SearchIndex(database: db, clock: clock).index(.document, id: document.requireID(), title: document.title, body: text)
            return document
        }
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
        let start = (page - 1) * Self.documentsPerPage
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
