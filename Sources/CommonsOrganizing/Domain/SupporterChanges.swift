import CommonsCore
import FluentKit
import Foundation
import SQLKit

/// One thing that happened to a supporter's record, written in the same transaction as the
/// change itself: what partner tools are told about (webhooks). It holds ids only; the
/// webhook service reads the record when it sends, and removes the line once it has queued
/// what the line caused.
public final class SupporterChange: Model, @unchecked Sendable {
    public static let schema = "supporter_changes"

    public enum Kind: String, Codable, Sendable {
        /// A form, the API or an import made a new supporter.
        case created
        /// Their details, tags or consent changed.
        case updated
        /// They stopped email news, or their address refused mail.
        case unsubscribed
        /// They signed a petition, joined a sign-up or answered an event (`actionID`).
        case acted
    }

    /// In the order the changes committed, within one database.
    @ID(custom: "seq", generatedBy: .database) public var id: Int?
    @Field(key: "supporter_id") public var supporterID: UUID
    @Field(key: "kind") public var kind: Kind
    @OptionalField(key: "action_id") public var actionID: UUID?
    @Field(key: "at") public var at: Date

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $supporterID, $kind, $actionID, $at] }

    public init() {}

    init(_ kind: Kind, supporter: UUID, action: UUID? = nil, at date: Date) {
        self.supporterID = supporter
        self.kind = kind
        self.actionID = action
        self.at = date
    }

    /// Notes a change on `db`, the transaction that makes it.
    static func record(_ kind: Kind, supporter: UUID, action: UUID? = nil, at date: Date, on db: any Database) async throws {
        try await SupporterChange(kind, supporter: supporter, action: action, at: date).create(on: db)
    }

    /// Takes up to `limit` of the oldest changes for `body`, which runs in the transaction that
    /// removes them: what it queues commits with their removal or not at all. PostgreSQL skips
    /// rows another server is working on.
    public static func drain(
        limit: Int,
        on database: any Database,
        _ body: @escaping @Sendable ([SupporterChange], any Database) async throws -> Void
    ) async throws -> Int {
        try await database.transaction { db in
            let sql = db as! any SQLDatabase
            let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            let ids = try await sql.raw("SELECT seq FROM supporter_changes ORDER BY seq LIMIT \(bind: limit)\(lock)").all()
                .map { try $0.decode(column: "seq", as: Int.self) }
            guard !ids.isEmpty else { return 0 }
            let changes = try await SupporterChange.query(on: db).filter(\.$id ~~ ids).sort(\.$id).all()
            try await body(changes, db)
            try await SupporterChange.query(on: db).filter(\.$id ~~ ids).delete()
            return changes.count
        }
    }
}

extension SupporterChange {
    /// Removes every change noted so far, in one statement: what runs when no webhook listens,
    /// so the lines do not pile up (a webhook registered later is told only what happens after).
    public static func discardAll(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DELETE FROM supporter_changes").run()
    }
}

public struct CreateSupporterChanges: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(SupporterChange.schema)
            .field("seq", .int64, .identifier(auto: true))
            .field("supporter_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("action_id", .uuid)
            .field("at", .datetime, .required)
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(SupporterChange.schema).delete()
    }
}
