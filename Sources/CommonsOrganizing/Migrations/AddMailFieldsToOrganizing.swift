import FluentKit
import SQLKit

/// What email needs from organizing: whether a campaign writes to each person who signs (on
/// unless an organizer turns it off) and asks new subscribers to confirm by email (off), the
/// language of the page each action came from, when a person confirmed from their inbox what
/// the action asked to change, and when an RSVP moved off the waitlist.
public struct AddMailFieldsToOrganizing: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Campaign.schema)
            .field("sends_confirmation", .bool, .required, .custom(SQLColumnConstraintAlgorithm.default(true)))
            .update()
        // One column per statement: SQLite adds one at a time.
        try await database.schema(Campaign.schema)
            .field("double_opt_in", .bool, .required, .custom(SQLColumnConstraintAlgorithm.default(false)))
            .update()
        try await database.schema(Action.schema).field("language", .string).update()
        try await database.schema(Action.schema).field("confirmed_at", .datetime).update()
        try await database.schema(Action.schema).field("promoted_at", .datetime).update()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(Action.schema).deleteField("promoted_at").update()
        try await database.schema(Action.schema).deleteField("confirmed_at").update()
        try await database.schema(Action.schema).deleteField("language").update()
        try await database.schema(Campaign.schema).deleteField("double_opt_in").update()
        try await database.schema(Campaign.schema).deleteField("sends_confirmation").update()
    }
}
