import CommonsImages
import FluentKit
import Foundation
import SQLKit

/// The resized copies of pictures, made at once for every picture already uploaded.
public struct CreateImageVariants: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ImageVariant.schema)
            .id()
            .field("source_sha256", .string, .required, .references(StoredFile.schema, "sha256", onDelete: .cascade))
            .field("width", .int, .required)
            .field("height", .int, .required)
            .field("format", .string, .required)
            .field("bytes", .data, .required)
            .field("byte_count", .int, .required)
            .unique(on: "source_sha256", "width", "format")
            .create()
        // One picture at a time, so memory holds one file and its copies however many there are.
        let pictures = try await StoredFile.query(on: database)
            .filter(\.$contentType ~~ FileType.allCases.filter(\.isPicture).map(\.contentType))
            .field(\.$id).all()
        for picture in pictures {
            guard let file = try await StoredFile.find(picture.id, on: database) else { continue }
            // A picture libvips cannot read stays a plain download, as before.
            guard let copies = try? await ImageResizer.variants(of: file.bytes) else { continue }
            try await ImageLibrary.store(copies, of: file.requireID(), on: database)
        }
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(ImageVariant.schema).delete()
    }
}
