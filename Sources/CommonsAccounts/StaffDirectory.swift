import CommonsAudit
import CommonsCore
import FluentKit
import Foundation

/// The staff accounts: adding people, changing what they may do, disabling them.
public struct StaffDirectory: Sendable {
    let database: any Database
    let clock: Clock

    public init(database: any Database, clock: Clock) {
        self.database = database
        self.clock = clock
    }

    /// Creates an account; `actor` is the admin who did it (nil from the command line).
    @discardableResult
    public func add(email rawEmail: String, name: String, role: Role, password: String, by actor: UUID?) async throws -> StaffAccount {
        var errors = ValidationErrors()
        let email = EmailAddress.normalize(rawEmail)
        if !EmailAddress.isValid(email) {
            errors.add(field: "email", message: "error.email_invalid")
        } else if try await StaffAccount.query(on: database).filter(\.$email == email).first() != nil {
            errors.add(field: "email", message: "error.account_exists")
        }
        if name.count > 100 { errors.add(field: "name", message: "error.name_too_long") }
        for problem in Passwords.problems(with: password, email: email) { errors.add(field: "password", message: problem) }
        try errors.throwIfAny()
        let hash = try await Passwords.hash(password)
        let now = clock.now
        return try await database.transaction { db in
            let account = StaffAccount()
            account.email = email
            account.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            account.role = role
            account.passwordHash = hash
            account.createdAt = now
            try await account.create(on: db)
            try await AuditLog(database: db).record(
                "account.created",
                by: actor,
                subjectType: "staff_account",
                subjectID: account.requireID().uuidString,
                detail: "role=\(role.rawValue)",
                at: now
            )
            return account
        }
    }

    public func count() async throws -> Int {
        try await StaffAccount.query(on: database).count()
    }

    public func all() async throws -> [StaffAccount] {
        try await StaffAccount.query(on: database).sort(\.$email).all()
    }

    public func account(_ id: UUID) async throws -> StaffAccount? {
        try await StaffAccount.find(id, on: database)
    }

    public func changeRole(of id: UUID, to role: Role, by actor: UUID) async throws {
        guard let account = try await StaffAccount.find(id, on: database) else { throw AccountNotFound() }
        let now = clock.now
        try await database.transaction { db in
            let before = account.role
            // The site must keep an admin who can sign in: the last one cannot step down.
            if before == .admin, role != .admin {
                let admins = try await StaffAccount.query(on: db).filter(\.$role == .admin).filter(\.$disabledAt == nil).count()
                if admins <= 1 { throw AccountError.lastAdmin }
            }
            account.role = role
            try await account.update(on: db)
            try await AuditLog(database: db).record(
                "account.role_changed",
                by: actor,
                subjectType: "staff_account",
                subjectID: id.uuidString,
                detail: "from=\(before.rawValue) to=\(role.rawValue)",
                at: now
            )
        }
    }

    /// Changes one's own password: the current one must be given, the new one must pass the
    /// rules, and every session but `keeping` (the one making the change) ends.
    public func changePassword(of id: UUID, current: String, new password: String, keeping sessionToken: String) async throws {
        guard let account = try await StaffAccount.find(id, on: database) else { throw AccountNotFound() }
        var errors = ValidationErrors()
        // No account has an empty password (or one past the longest allowed), so those are
        // wrong without spending a bcrypt on them: a blank form costs the server nothing.
        let checkable = !current.isEmpty && current.count <= Passwords.maximumLength
        let currentMatches = checkable ? try await Passwords.verify(current, against: account.passwordHash) : false
        if !currentMatches {
            errors.add(field: "current_password", message: "error.password_wrong")
        }
        for problem in Passwords.problems(with: password, email: account.email) { errors.add(field: "new_password", message: problem) }
        try errors.throwIfAny()
        let hash = try await Passwords.hash(password)
        let now = clock.now
        try await database.transaction { db in
            account.passwordHash = hash
            try await account.update(on: db)
            try await SignInDesk.endSessions(of: id, except: sessionToken, on: db)
            try await AuditLog(database: db).record(
                "account.password_changed",
                by: id,
                subjectType: "staff_account",
                subjectID: id.uuidString,
                at: now
            )
        }
    }

    /// The account with this email, if any.
    public func account(email: String) async throws -> StaffAccount? {
        try await StaffAccount.query(on: database).filter(\.$email == EmailAddress.normalize(email)).first()
    }

    /// Disables an account and ends all its sessions at once.
    public func disable(_ id: UUID, by actor: UUID) async throws {
        guard let account = try await StaffAccount.find(id, on: database) else { throw AccountNotFound() }
        guard id != actor else { throw AccountError.cannotDisableSelf }
        let now = clock.now
        try await database.transaction { db in
            account.disabledAt = now
            try await account.update(on: db)
            try await StaffSession.query(on: db).filter(\.$account.$id == id).delete()
            try await AuditLog(database: db).record("account.disabled", by: actor, subjectType: "staff_account", subjectID: id.uuidString, at: now)
        }
    }
}

/// No staff account with that id.
public struct AccountNotFound: NotFoundError, Equatable {}

public enum AccountError: Error, Equatable {
    case cannotDisableSelf
    /// The only active admin cannot take another role.
    case lastAdmin
}
