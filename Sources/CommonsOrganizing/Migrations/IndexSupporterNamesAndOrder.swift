import FluentKit
import SQLKit

/// What the staff supporter list needs at a coalition's size (100,000 supporters):
/// - `supporters.name_index`: keyed hashes of each word of a supporter's name, so a name search
///   finds its candidates without opening every row (see `SupporterVault.nameIndex`). Rows
///   stored before it are indexed when the server starts (`KeyRotation.indexNames`).
/// - the list's order (latest action first) as an index, so a page of 50 is read, not sorted
///   out of everyone;
/// - actions by campaign and by event together with the supporter, and tags by name with the
///   supporter, so "is this supporter in the campaign?" and "who is in it?" are both answered
///   from an index alone. The composite indexes replace the single-column ones they start with.
public struct IndexSupporterNamesAndOrder: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Supporter.schema).field("name_index", .string).update()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX supporters_list_order ON supporters (last_action_at DESC, id)").run()
        try await sql.create(index: "actions_campaign_supporter").on(Action.schema).column("campaign_id").column("supporter_id").run()
        try await sql.create(index: "actions_event_supporter").on(Action.schema).column("event_id").column("supporter_id").run()
        try await sql.drop(index: "actions_campaign_id").run()
        try await sql.drop(index: "actions_event_id").run()
        try await sql.create(index: "supporter_tags_name_supporter").on(SupporterTag.schema).column("name").column("supporter_id").run()
    }
    public func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "supporter_tags_name_supporter").run()
        try await sql.create(index: "actions_event_id").on(Action.schema).column("event_id").run()
        try await sql.create(index: "actions_campaign_id").on(Action.schema).column("campaign_id").run()
        try await sql.drop(index: "actions_event_supporter").run()
        try await sql.drop(index: "actions_campaign_supporter").run()
        try await sql.drop(index: "supporters_list_order").run()
        try await database.schema(Supporter.schema).deleteField("name_index").update()
    }
}
