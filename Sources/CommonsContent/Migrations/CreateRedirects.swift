import FluentKit

public struct CreateRedirects: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Redirect.schema)
            .id()
            .field("from_path", .string, .required)
            .field("to_path", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "from_path")
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(Redirect.schema).delete()
    }
}
