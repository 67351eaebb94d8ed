import FluentKit

/// Each action keeps the values its form was sent with (sealed), since a form no longer
/// overwrites the supporter it matches.
public struct AddSubmittedValuesToActions: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Action.schema).field("submitted", .data).update()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(Action.schema).deleteField("submitted").update()
    }
}
