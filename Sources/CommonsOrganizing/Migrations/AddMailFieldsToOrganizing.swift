import FluentKit
import SQLKit

/// What email needs from organizing: whether a campaign writes to each person who signs (on
/// unless an organizer turns it off), and the language of the page each action came from.
public struct AddMailFieldsToOrganizing: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Campaign.schema)
            .field("sends_confirmation", .bool, .required, .custom(SQLColumnConstraintAlgorithm.default(true)))
            .update()
        try await database.schema(Action.schema).field("language", .string).update()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(Action.schema).deleteField("language").update()
        try await database.schema(Campaign.schema).deleteField("sends_confirmation").update()
    }
}
