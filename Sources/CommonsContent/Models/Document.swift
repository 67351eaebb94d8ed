import FluentKit
import Foundation

/// A file the coalition publishes: a proposal, a press release, a flyer, a report.
public final class Document: Model, @unchecked Sendable {
    public static let schema = "documents"

    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "title") public var title: String
    @Field(key: "description") public var description: String
    @Parent(key: "file_sha256") public var file: StoredFile
    @Field(key: "content_type") public var contentType: String
    @Field(key: "byte_count") public var byteCount: Int
    @Field(key: "file_name") public var fileName: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Timestamp(key: "deleted_at", on: .delete) public var deletedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [$id, $slug, $title, $description, $file, $contentType, $byteCount, $fileName, $createdAt, $updatedAt, $publishedAt, $deletedAt]
    }

    public init() {}

    /// The file's SHA-256 in hex, which is also its strong ETag.
    public var sha256: String { $file.id }
}

/// The bytes of an uploaded file, stored once however many documents use them, named by their SHA-256.
public final class StoredFile: Model, @unchecked Sendable {
    public static let schema = "stored_files"

    @ID(custom: "sha256", generatedBy: .user) public var id: String?
    @Field(key: "bytes") public var bytes: Data
    @Field(key: "content_type") public var contentType: String
    @Field(key: "byte_count") public var byteCount: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $bytes, $contentType, $byteCount, $createdAt] }

    public init() {}

    /// Whether these bytes are stored, asked without reading them (a file may be 25 MB).
    static func exists(_ sha256: String, on db: any Database) async throws -> Bool {
        try await StoredFile.query(on: db).filter(\.$id == sha256).count() > 0
    }

    /// Stores the bytes under their SHA-256 unless they are there; true when they were new.
    @discardableResult
    static func keep(_ bytes: Data, sha256: String, contentType: String, on db: any Database) async throws -> Bool {
        guard try await !exists(sha256, on: db) else { return false }
        let file = StoredFile()
        file.id = sha256
        file.bytes = bytes
        file.contentType = contentType
        file.byteCount = bytes.count
        try await file.create(on: db)
        return true
    }
}
