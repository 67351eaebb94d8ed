import CommonsAudit
import CommonsCore
import CommonsPrivacy
import Crypto
import FluentKit
import Foundation
import SQLKit

/// A key a partner's tool sends in `OSDI-API-Token`. The table holds only the SHA-256 of the
/// token, which is shown once when it is made.
public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    public enum Scope: String, Codable, Sendable, CaseIterable {
        /// Reads people, tags, petitions, events and forms.
        case read
        /// Also creates and updates them.
        case write
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "scope") public var scope: Scope
    /// The admin who made it; nil when it was made with `commons token add` on the server.
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $name, $tokenHash, $scope, $createdBy, $createdAt, $expiresAt, $revokedAt, $lastUsedAt] }

    public init() {}

    /// Whether a request with it is answered at `now`.
    public func isValid(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }

    /// What the audit log names it by.
    public var auditActor: AuditActor { .system("api-token=\(name)") }
}

public struct CreateAPITokens: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema)
            .id()
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("scope", .string, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime)
            .field("revoked_at", .datetime)
            .field("last_used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).delete()
    }
}

/// Makes, checks and revokes API tokens. Making and revoking one is in the audit log.
public struct APITokens: Sendable {
    public static let nameLimit = 60
    public static let maximumDays = 3650
    /// A use is written back at most this often per token, so reads do not each cost a write.
    static let lastUsedResolution: TimeInterval = 60
    /// Every token starts so; a header that does not is refused before any hashing.
    static let prefix = "commons_"

    let database: any Database
    let clock: Clock

    public init(database: any Database, clock: Clock) {
        self.database = database
        self.clock = clock
    }

    /// Makes a token and answers it with the secret, which is not stored and cannot be shown again.
    /// Throws `ValidationErrors` (`name`, `expires`) for a bad name or lifetime.
    public func create(
        name rawName: String,
        scope: Scope,
        expiresInDays days: Int?,
        by actor: AuditActor
    ) async throws -> (
        token: APIToken, secret: String
    ) {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = ValidationErrors()
        if name.isEmpty || name.count > Self.nameLimit || name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
            errors.add(field: "name", message: "error.token_name_invalid")
        }
        if let days, !(1...Self.maximumDays).contains(days) { errors.add(field: "expires", message: "error.token_expiry_invalid") }
        try errors.throwIfAny()
        let secret =
            Self.prefix + SecretToken.make()
        let now = clock.now
        let token = APIToken()
        token.id = UUID.random()
        token.name = name
        token.tokenHash = SecretToken.hash(secret)
        token.scope = scope
        token.createdBy = actor.accountID
        token.createdAt = now
        token.expiresAt = days.map { now.addingTimeInterval(TimeInterval($0) * 86_400) }
        try await database.transaction { db in
            try await token.create(on: db)
            try await AuditLog(database: db).record(
                "api_token.created",
                by: actor,
                subjectType: "api_token",
                subjectID: token.id?.uuidString,
                detail: "scope=\(scope.rawValue)",
                at: now
            )
        }
        return (token, secret)
    }

    public typealias Scope = APIToken.Scope

    /// The token this secret names, when it is neither revoked nor expired; notes its use.
    public func authenticate(_ secret: String) async throws -> APIToken? {
        guard secret.hasPrefix(Self.prefix), secret.utf8.count <= 100 else { return nil }
        guard let token = try await APIToken.query(on: database).filter(\.$tokenHash == SecretToken.hash(secret)).first() else { return nil }
        let now = clock.now
        guard token.isValid(at: now) else { return nil }
        if token.lastUsedAt.map({ now.timeIntervalSince($0) >= Self.lastUsedResolution }) ?? true {
            try await APIToken.query(on: database).filter(\.$id == token.requireID()).set(\.$lastUsedAt, to: now).update()
            token.lastUsedAt = now
        }
        return token
    }

    /// Every token, newest first.
    public func all() async throws -> [APIToken] {
        try await APIToken.query(on: database).sort(\.$createdAt, .descending).sort(\.$id).all()
    }

    /// Stops a token at once. Throws `TokenError.notFound`.
    public func revoke(_ id: UUID, by actor: AuditActor) async throws {
        try await database.transaction { db in
            guard let token = try await APIToken.find(id, on: db) else { throw TokenError.notFound }
            guard token.revokedAt == nil else { return }
            token.revokedAt = clock.now
            try await token.update(on: db)
            try await AuditLog(database: db).record("api_token.revoked", by: actor, subjectType: "api_token", subjectID: id.uuidString, at: clock.now)
        }
    }
}

public enum TokenError: NotFoundError, Equatable {
    case notFound
}
