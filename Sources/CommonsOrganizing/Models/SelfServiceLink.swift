import FluentKit
import Foundation
import SQLKit

/// A link sent to a supporter's own address so they can see their data: only its SHA-256 is
/// stored, it works for 30 minutes, and once.
public final class SelfServiceLink: Model, @unchecked Sendable {
    public static let schema = "self_service_links"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "supporter_id") public var supporter: Supporter
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?
    @Field(key: "created_at") public var createdAt: Date

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $supporter, $tokenHash, $expiresAt, $usedAt, $createdAt] }

    public init() {}
}

public struct CreateSelfServiceLinks: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(SelfServiceLink.schema)
            .id()
            .field("supporter_id", .uuid, .required, .references(Supporter.schema, "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await (database as! any SQLDatabase).create(index: "self_service_links_supporter").on(SelfServiceLink.schema).column("supporter_id")
            .run()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(SelfServiceLink.schema).delete()
    }
}
