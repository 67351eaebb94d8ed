import CommonsCore
import CommonsImages
import FluentKit
import Foundation
import SQLKit

/// The resized copies of the coalition's pictures: made when a picture is uploaded, listed for
/// pages' `srcset`, served by their address.
public struct ImageLibrary: Sendable {
    /// What a page needs to offer one copy: no bytes.
    public struct Size: Sendable, Equatable, Decodable {
        public let width: Int
        public let height: Int
        public let format: ImageFormat
    }

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The copies of each picture named, narrowest first; a picture with none is absent.
    public func sizes(of sha256s: [String]) async throws -> [String: [Size]] {
        let wanted = Array(Set(sha256s))
        guard !wanted.isEmpty, let sql = database as? any SQLDatabase else { return [:] }
        struct Row: Decodable {
            let source_sha256: String
            let width: Int
            let height: Int
            let format: String
        }
        let rows = try await sql.select()
            .columns("source_sha256", "width", "height", "format")
            .from(ImageVariant.schema)
            .where("source_sha256", .in, wanted)
            .orderBy("width")
            .all(decoding: Row.self)
        var result: [String: [Size]] = [:]
        for row in rows {
            guard let format = ImageFormat(rawValue: row.format) else { continue }
            result[row.source_sha256, default: []].append(Size(width: row.width, height: row.height, format: format))
        }
        return result
    }

    /// One copy with its bytes, for its address; nil unless a document in the library (not
    /// deleted) is that picture, so a photo an editor took down stops being served at once.
    public func variant(of sha256: String, width: Int, format: ImageFormat) async throws -> ImageVariant? {
        guard try await Document.query(on: database).filter(\.$file.$id == sha256).first() != nil else { return nil }
        return try await ImageVariant.query(on: database)
            .filter(\.$sourceSHA256 == sha256).filter(\.$width == width).filter(\.$format == format.rawValue)
            .first()
    }

    /// Resizes an upload before any transaction opens (it takes a moment, on another thread).
    /// Throws `ValidationErrors` on the `file` field when the picture cannot be read or is too large.
    static func resize(_ bytes: Data, type: FileType) async throws -> [ResizedImage] {
        guard type.isPicture else { return [] }
        do {
            return try await ImageResizer.variants(of: bytes)
        } catch ImageProblem.tooLarge {
            throw ValidationErrors(field: "file", message: "error.image_too_large")
        } catch {
            throw ValidationErrors(field: "file", message: "error.image_unreadable")
        }
    }

    /// Stores the copies of one picture, unless it already has them.
    static func store(_ copies: [ResizedImage], of sha256: String, on db: any Database) async throws {
        guard !copies.isEmpty, try await ImageVariant.query(on: db).filter(\.$sourceSHA256 == sha256).count() == 0 else { return }
        for copy in copies { try await ImageVariant(source: sha256, copy).create(on: db) }
    }
}
