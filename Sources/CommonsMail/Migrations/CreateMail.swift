import FluentKit
import SQLKit

public struct CreateMail: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(Mailing.schema)
            .id()
            .field("status", .string, .required)
            .field("audience", .string, .required)
            .field("send_at", .datetime)
            .field("queued_at", .datetime)
            .field("recipients", .int, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(MailingVersion.schema)
            .id()
            .field("mailing_id", .uuid, .required, .references(Mailing.schema, "id", onDelete: .cascade))
            .field("language", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .unique(on: "mailing_id", "language")
            .create()
        try await database.schema(OutboxMessage.schema)
            .id()
            .field("kind", .string, .required)
            .field("status", .string, .required)
            // Deleting a supporter deletes their queued mail with them.
            .field("supporter_id", .uuid, .references("supporters", "id", onDelete: .cascade))
            .field("mailing_id", .uuid, .references(Mailing.schema, "id", onDelete: .setNull))
            .field("recipient", .data, .required)
            .field("recipient_index", .string, .required)
            .field("content", .data)
            .field("language", .string, .required)
            .field("dedupe_key", .string)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .unique(on: "dedupe_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "outbox_ready").on(OutboxMessage.schema).column("status").column("next_attempt_at").run()
        try await sql.create(index: "outbox_mailing").on(OutboxMessage.schema).column("mailing_id").run()
        try await sql.create(index: "outbox_supporter").on(OutboxMessage.schema).column("supporter_id").run()
        try await database.schema(MailSuppression.schema)
            .field("email_index", .string, .identifier(auto: false))
            .field("reason", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(MailSuppression.schema).delete()
        try await database.schema(OutboxMessage.schema).delete()
        try await database.schema(MailingVersion.schema).delete()
        try await database.schema(Mailing.schema).delete()
    }
}
