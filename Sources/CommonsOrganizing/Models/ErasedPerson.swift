import FluentKit
import Foundation
import SQLKit

/// Someone who erased themselves: only keyed hashes of their email and phone, so that a
/// partner's import never brings them back. Their own new sign-up (by either) takes the row off.
public final class ErasedPerson: Model, @unchecked Sendable {
    public static let schema = "erased_people"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "email_hash") public var emailHash: String?
    @OptionalField(key: "phone_hash") public var phoneHash: String?
    @Field(key: "created_at") public var createdAt: Date

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $emailHash, $phoneHash, $createdAt] }

    public init() {}

    /// The rows matching any of these hashes (of every key version).
    static func matching(_ hashes: [String], on db: any Database) -> QueryBuilder<ErasedPerson> {
        ErasedPerson.query(on: db).group(.or) { $0.filter(\.$emailHash ~~ hashes).filter(\.$phoneHash ~~ hashes) }
    }
}

public struct CreateErasedPeople: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ErasedPerson.schema).id().field("email_hash", .string).field("phone_hash", .string)
            .field("created_at", .datetime, .required).create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "erased_people_email").on(ErasedPerson.schema).column("email_hash").run()
        try await sql.create(index: "erased_people_phone").on(ErasedPerson.schema).column("phone_hash").run()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(ErasedPerson.schema).delete()
    }
}
