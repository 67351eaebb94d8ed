import FluentKit
import Foundation

/// Which local post, page or document an item of another system became, so importing the same
/// export again updates it instead of adding a copy.
public final class ImportedItem: Model, @unchecked Sendable {
    public static let schema = "imported_items"

    public enum Kind: String, Codable, Sendable {
        case post, page, document
    }

    @ID(key: .id) public var id: UUID?
    /// `wordpress`.
    @Field(key: "source") public var source: String
    /// The item's id there (WordPress's post id).
    @Field(key: "source_id") public var sourceID: Int
    @Field(key: "guid") public var guid: String
    @Field(key: "kind") public var kind: Kind
    @Field(key: "local_id") public var localID: UUID
    @Timestamp(key: "imported_at", on: .update) public var importedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $source, $sourceID, $guid, $kind, $localID, $importedAt] }

    public init() {}
}

public struct CreateImportedItems: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ImportedItem.schema)
            .id()
            .field("source", .string, .required)
            .field("source_id", .int, .required)
            .field("guid", .string, .required)
            .field("kind", .string, .required)
            .field("local_id", .uuid, .required)
            .field("imported_at", .datetime)
            .unique(on: "source", "source_id")
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(ImportedItem.schema).delete()
    }
}

public enum ImportMigrations {
    public static var all: [any Migration] { [CreateImportedItems()] }
}
