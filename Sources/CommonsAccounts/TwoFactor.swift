import CommonsAudit
import CommonsCore
import CommonsPrivacy
import Crypto
import FluentKit
import Foundation
import SQLKit

/// A staff member's second factor: an authenticator app (TOTP) and ten recovery codes.
///
/// Enrolment keeps a new secret aside until a code from it is typed, so a secret nobody
/// scanned never guards an account. A code is accepted once: after a code of step S, only
/// codes of later steps are. The secret is sealed under the data key like supporter data.
public struct TwoFactor: Sendable {
    public static let recoveryCodeCount = 10

    let database: any Database
    let clock: Clock
    let cipher: FieldCipher

    public init(database: any Database, clock: Clock, keys: DataKeys) {
        self.database = database
        self.clock = clock
        self.cipher = FieldCipher(keys: keys)
    }

    /// How a second factor was given.
    public enum Method: String, Sendable, Equatable {
        case authenticator, recoveryCode
    }

    public struct Status: Sendable {
        public let enabledAt: Date?
        public let recoveryCodesLeft: Int
    }

    public func status(of accountID: UUID) async throws -> Status {
        guard let account = try await StaffAccount.find(accountID, on: database) else { throw AccountNotFound() }
        let left = try await RecoveryCode.query(on: database).filter(\.$account.$id == accountID).filter(\.$usedAt == nil).count()
        return Status(enabledAt: account.hasTwoFactor ? account.twoFactorEnabledAt : nil, recoveryCodesLeft: account.hasTwoFactor ? left : 0)
    }

    /// The secret waiting to be confirmed on the enrolment page, made on first asking and kept
    /// until confirmed or started again, so reloading the page shows the same one.
    public func pendingSecret(for accountID: UUID, startAgain: Bool = false) async throws -> [UInt8] {
        guard let account = try await StaffAccount.find(accountID, on: database) else { throw AccountNotFound() }
        if !startAgain, let sealed = account.totpPendingSecret, let secret = try? open(sealed, "totp_pending_secret", accountID) {
            return secret
        }
        let secret = TOTP.newSecret()
        account.totpPendingSecret = try seal(secret, "totp_pending_secret", accountID)
        try await account.update(on: database)
        return secret
    }

    /// Turns two-factor on when `code` comes from the pending secret; answers the recovery codes
    /// to show once. Sessions other than `keeping` end: whoever else held one signed in without it.
    public func enable(_ accountID: UUID, code: String, keeping sessionToken: String?) async throws -> [String] {
        guard let account = try await StaffAccount.find(accountID, on: database) else { throw AccountNotFound() }
        let now = clock.now
        guard let sealed = account.totpPendingSecret, let secret = try? open(sealed, "totp_pending_secret", accountID),
            let step = TOTP.matchingStep(code, secret: secret, at: now)
        else { throw TwoFactorError.wrongCode }
        let codes = Self.newRecoveryCodes()
        try await database.transaction { db in
            account.totpSecret = try seal(secret, "totp_secret", accountID)
            account.totpPendingSecret = nil
            account.twoFactorEnabledAt = now
            account.totpLastStep = step
            try await account.update(on: db)
            try await replaceRecoveryCodes(accountID, with: codes, on: db)
            try await SignInDesk.endSessions(of: accountID, except: sessionToken, on: db)
            try await AuditLog(database: db).record(
                "twofactor.enabled",
                by: accountID,
                subjectType: "staff_account",
                subjectID: accountID.uuidString,
                at: now
            )
        }
        return codes
    }

    /// New recovery codes in place of the old ones (used or not), to show once.
    public func regenerateRecoveryCodes(_ accountID: UUID) async throws -> [String] {
        guard let account = try await StaffAccount.find(accountID, on: database), account.hasTwoFactor else { throw TwoFactorError.notEnabled }
        let codes = Self.newRecoveryCodes()
        try await database.transaction { db in
            try await replaceRecoveryCodes(accountID, with: codes, on: db)
            try await AuditLog(database: db).record(
                "twofactor.recovery_codes_replaced",
                by: accountID,
                subjectType: "staff_account",
                subjectID: accountID.uuidString,
                at: clock.now
            )
        }
        return codes
    }

    /// Turns two-factor off for `accountID`: by the member themself (`actor` is them, their
    /// session `keeping` stays) or by an admin or the command line resetting it (every session
    /// ends; the member enrols again at the next sign-in).
    public func disable(_ accountID: UUID, by actor: AuditActor, keeping sessionToken: String?) async throws {
        guard let account = try await StaffAccount.find(accountID, on: database) else { throw AccountNotFound() }
        let now = clock.now
        try await database.transaction { db in
            account.totpSecret = nil
            account.totpPendingSecret = nil
            account.twoFactorEnabledAt = nil
            account.totpLastStep = nil
            try await account.update(on: db)
            try await RecoveryCode.query(on: db).filter(\.$account.$id == accountID).delete()
            try await SignInDesk.endSessions(of: accountID, except: sessionToken, on: db)
            let selfService = actor.accountID == accountID
            try await AuditLog(database: db).record(
                selfService ? "twofactor.disabled" : "twofactor.reset",
                by: actor,
                subjectType: "staff_account",
                subjectID: accountID.uuidString,
                at: now
            )
        }
    }

    /// Checks a second factor and uses it up: an authenticator code of a step after the last
    /// one accepted, or an unused recovery code. Nil when neither.
    public func verify(_ accountID: UUID, code typed: String) async throws -> Method? {
        let code = typed.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, code.utf8.count <= 64 else { return nil }
        guard let account = try await StaffAccount.find(accountID, on: database), account.hasTwoFactor, let sealed = account.totpSecret else {
            return nil
        }
        let now = clock.now
        if let secret = try? open(sealed, "totp_secret", accountID), let step = TOTP.matchingStep(code, secret: secret, at: now) {
            // The row changes only while its last step is older, in one statement: two requests
            // with the same code cannot both pass.
            guard step > (account.totpLastStep ?? .min) else { return nil }
            let sql = database as! any SQLDatabase
            let claimed = try await sql.update(StaffAccount.schema)
                .set("totp_last_step", to: step)
                .where("id", .equal, accountID)
                .where { $0.where("totp_last_step", .is, SQLLiteral.null).orWhere("totp_last_step", .lessThan, step) }
                .returning("id")
                .all()
            return claimed.isEmpty ? nil : .authenticator
        }
        let hash = Self.hashRecoveryCode(code)
        return try await database.transaction { db -> Method? in
            guard
                let stored = try await RecoveryCode.query(on: db).filter(\.$account.$id == accountID).filter(\.$codeHash == hash)
                    .filter(\.$usedAt == nil).first()
            else { return nil }
            stored.usedAt = now
            try await stored.update(on: db)
            try await AuditLog(database: db).record(
                "twofactor.recovery_code_used",
                by: accountID,
                subjectType: "staff_account",
                subjectID: accountID.uuidString,
                at: now
            )
            return .recoveryCode
        }
    }

    /// Reseals the secrets not under the current key version (`commons keys rotate`).
    public static func reseal(database: any Database, keys: DataKeys) async throws -> Int {
        let cipher = FieldCipher(keys: keys)
        @Sendable func again(_ sealed: Data?, _ column: String, _ id: UUID) throws -> Data? {
            guard let sealed, FieldCipher.version(of: sealed) != keys.version else { return nil }
            let table = StaffAccount.schema
            return try cipher.seal(try cipher.open(sealed, table: table, column: column, rowID: id), table: table, column: column, rowID: id)
        }
        return try await database.transaction { db in
            var done = 0
            for account in try await StaffAccount.query(on: db).all() {
                let id = try account.requireID()
                let secret = try again(account.totpSecret, "totp_secret", id)
                let pending = try again(account.totpPendingSecret, "totp_pending_secret", id)
                guard secret != nil || pending != nil else { continue }
                if let secret { account.totpSecret = secret }
                if let pending { account.totpPendingSecret = pending }
                try await account.update(on: db)
                done += 1
            }
            return done
        }
    }

    func replaceRecoveryCodes(_ accountID: UUID, with codes: [String], on db: any Database) async throws {
        try await RecoveryCode.query(on: db).filter(\.$account.$id == accountID).delete()
        for code in codes {
            let row = RecoveryCode()
            row.$account.id = accountID
            row.codeHash = Self.hashRecoveryCode(code)
            try await row.create(on: db)
        }
    }

    /// Ten codes like `k7qm-x2vd-9p`: 10 characters of an unambiguous alphabet (50 bits).
    static func newRecoveryCodes() -> [String] {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return (0..<recoveryCodeCount).map { _ in
            let characters = (0..<10).map { _ in alphabet.randomElement(using: &generator)! }
            return String(characters[0..<4]) + "-" + String(characters[4..<8]) + "-" + String(characters[8..<10])
        }
    }

    /// The form a recovery code is stored in: lowercased, without dashes or spaces, hashed.
    static func hashRecoveryCode(_ code: String) -> String {
        SecretToken.hash("recovery|" + code.lowercased().filter { $0 != "-" && $0 != " " })
    }

    func seal(_ secret: [UInt8], _ column: String, _ id: UUID) throws -> Data {
        try cipher.seal(Base32.encode(secret), table: StaffAccount.schema, column: column, rowID: id)
    }

    func open(_ sealed: Data, _ column: String, _ id: UUID) throws -> [UInt8] {
        guard let secret = Base32.decode(try cipher.open(sealed, table: StaffAccount.schema, column: column, rowID: id)) else {
            throw FieldCipherError.malformed
        }
        return secret
    }
}

public enum TwoFactorError: Error, Equatable {
    /// The code typed is not the authenticator's current one.
    case wrongCode
    /// Two-factor is off for this account.
    case notEnabled
}
