import CommonsAudit
import CommonsPrivacy
import FluentKit
import Foundation
import SQLKit

/// A person who runs the site: an admin, organizer or editor.
public final class StaffAccount: Model, @unchecked Sendable {
    public static let schema = "staff_accounts"

    @ID(key: .id) public var id: UUID?
    /// Lowercased.
    @Field(key: "email") public var email: String
    @Field(key: "name") public var name: String
    @Field(key: "role") public var role: Role
    @Field(key: "password_hash") var passwordHash: String
    @OptionalField(key: "disabled_at") public var disabledAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    /// The authenticator secret, sealed like supporter data (`FieldCipher`); nil until enrolled.
    @OptionalField(key: "totp_secret") var totpSecret: Data?
    /// A secret shown on the enrolment page and not yet confirmed with a code.
    @OptionalField(key: "totp_pending_secret") var totpPendingSecret: Data?
    @OptionalField(key: "totp_enabled_at") public var twoFactorEnabledAt: Date?
    /// The step of the last code accepted: a code is good once, so only later steps are.
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [$id, $email, $name, $role, $passwordHash, $disabledAt, $createdAt, $totpSecret, $totpPendingSecret, $twoFactorEnabledAt, $totpLastStep]
    }

    public init() {}

    public var isActive: Bool { disabledAt == nil }
    public var hasTwoFactor: Bool { twoFactorEnabledAt != nil && totpSecret != nil }
}

/// A signed-in browser. The cookie holds a random token; the table holds only its SHA-256.
public final class StaffSession: Model, @unchecked Sendable {
    public static let schema = "staff_sessions"

    @ID(custom: "token_hash", generatedBy: .user) public var id: String?
    @Parent(key: "account_id") public var account: StaffAccount
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    /// When the password or a code was last entered in this session, for step-up.
    @OptionalField(key: "verified_at") public var verifiedAt: Date?
    /// The browser family ("Firefox on Linux"), from its User-Agent at sign-in; never an address.
    @OptionalField(key: "browser") public var browser: String?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $account, $csrfToken, $createdAt, $lastSeenAt, $verifiedAt, $browser] }

    public init() {}

    /// A short name for this session that is not its token, for "sign out" buttons.
    public var handle: String { String(SecretToken.hash("handle|" + (id ?? "")).prefix(20)) }
}

/// One of the ten single-use codes that stand in for the authenticator when the phone is lost.
public final class RecoveryCode: Model, @unchecked Sendable {
    public static let schema = "staff_recovery_codes"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "account_id") public var account: StaffAccount
    /// SHA-256 of the code (the codes carry 50 random bits each, so a fast hash is enough).
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") public var usedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $account, $codeHash, $usedAt] }

    public init() {}
}

/// Two-factor sign-in: the account's authenticator secret, recovery codes, and per-session
/// step-up time and browser family. Sessions from before it are ended (they have neither).
public struct AddTwoFactor: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await StaffSession.query(on: database).delete()
        try await database.schema(StaffAccount.schema).field("totp_secret", .data).update()
        try await database.schema(StaffAccount.schema).field("totp_pending_secret", .data).update()
        try await database.schema(StaffAccount.schema).field("totp_enabled_at", .datetime).update()
        try await database.schema(StaffAccount.schema).field("totp_last_step", .int64).update()
        try await database.schema(StaffSession.schema).field("verified_at", .datetime).update()
        try await database.schema(StaffSession.schema).field("browser", .string).update()
        try await database.schema(RecoveryCode.schema)
            .id()
            .field("account_id", .uuid, .required, .references(StaffAccount.schema, "id", onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .unique(on: "code_hash")
            .create()
        try await (database as! any SQLDatabase).create(index: "staff_sessions_account").on(StaffSession.schema).column("account_id").run()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(RecoveryCode.schema).delete()
        for field in ["verified_at", "browser"] { try await database.schema(StaffSession.schema).deleteField(.string(field)).update() }
        for field in ["totp_secret", "totp_pending_secret", "totp_enabled_at", "totp_last_step"] {
            try await database.schema(StaffAccount.schema).deleteField(.string(field)).update()
        }
    }
}

/// A failed sign-in, kept for the lock-out window so several servers count them together.
public final class SignInFailure: Model, @unchecked Sendable {
    public static let schema = "sign_in_failures"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "account_id") public var accountID: UUID?
    /// SHA-256 of the email typed, known or not, so unknown emails are throttled alike.
    @OptionalField(key: "email_key") public var emailKey: String?
    @Field(key: "at") public var at: Date

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $accountID, $emailKey, $at] }

    public init() {}
}

/// A sign-in form that was sent once: its one-time id, kept while such a form is still accepted,
/// so a captured sign-in request cannot be replayed.
public final class UsedSignInForm: Model, @unchecked Sendable {
    public static let schema = "used_sign_in_forms"

    @ID(custom: "form_id", generatedBy: .user) public var id: String?
    @Field(key: "at") public var at: Date

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $at] }

    public init() {}
}

/// Failures are counted per email typed (known or not), and sign-in forms are one-time.
public struct AddSignInThrottling: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(SignInFailure.schema).field("email_key", .string).update()
        try await (database as! any SQLDatabase).create(index: "sign_in_failures_email_key").on(SignInFailure.schema).column("email_key").run()
        try await database.schema(UsedSignInForm.schema)
            .field("form_id", .string, .identifier(auto: false))
            .field("at", .datetime, .required)
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(UsedSignInForm.schema).delete()
        try await database.schema(SignInFailure.schema).deleteField("email_key").update()
    }
}

public struct CreateStaffTables: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(StaffAccount.schema)
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string, .required)
            .field("disabled_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .create()
        try await database.schema(StaffSession.schema)
            .field("token_hash", .string, .identifier(auto: false))
            .field("account_id", .uuid, .required, .references(StaffAccount.schema, "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .create()
        try await database.schema(SignInFailure.schema)
            .id()
            .field("account_id", .uuid)
            .field("at", .datetime, .required)
            .create()
        try await database.schema(AuditEntry.schema)
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("action", .string, .required)
            .field("subject_type", .string)
            .field("subject_id", .string)
            .field("detail", .string, .required)
            .create()
        // The database itself refuses to change or remove a line of the audit log.
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            for event in ["UPDATE", "DELETE"] {
                try await sql.raw(
                    SQLQueryString(
                        "CREATE TRIGGER audit_log_no_\(unsafeRaw: event.lowercased()) BEFORE \(unsafeRaw: event) ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
                    )
                ).run()
            }
        } else {
            try await sql.raw(
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
                """
            ).run()
            try await sql.raw(
                "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
            ).run()
        }
    }
    public func revert(on database: any Database) async throws {
        for schema in [AuditEntry.schema, SignInFailure.schema, StaffSession.schema, StaffAccount.schema] {
            try await database.schema(schema).delete()
        }
    }
}

public enum AccountsMigrations {
    public static var all: [any Migration] { [CreateStaffTables(), AddSignInThrottling(), AddTwoFactor()] }
}
