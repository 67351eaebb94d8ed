import CommonsCore
import Crypto
import FluentKit
import Foundation
import HummingbirdBcrypt

/// Signing staff in and out, and the sessions that keep them signed in.
public struct SignInDesk: Sendable {
    /// Failures for one account within `lockoutWindow` before it is locked for the rest of it.
    public static let failureLimit = 5
    public static let lockoutWindow: TimeInterval = 15 * 60
    public static let idleTimeout: TimeInterval = 30 * 60
    public static let absoluteTimeout: TimeInterval = 12 * 3600

    let database: any Database
    let clock: Clock

    public init(database: any Database, clock: Clock) {
        self.database = database
        self.clock = clock
    }

    public enum Outcome: Sendable, Equatable {
        /// The new session's token, for the cookie, and the account signed in.
        case signedIn(token: String, accountID: UUID)
        /// Unknown email and wrong password look the same from outside.
        case refused
        /// Too many failures for this account: try again after this many seconds.
        case lockedOut(retryAfter: Int)
    }

    /// A hash of a password nobody has, so an unknown email costs as much time as a known one.
    static let decoyHash = Bcrypt.hash(Passwords.prehash(Passwords.generate()), cost: Passwords.cost)

    public func signIn(email rawEmail: String, password: String) async throws -> Outcome {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let now = clock.now
        let account = try await StaffAccount.query(on: database).filter(\.$email == email).first()
        if let id = account?.id {
            let since = now.addingTimeInterval(-Self.lockoutWindow)
            let failures = try await SignInFailure.query(on: database).filter(\.$accountID == id).filter(\.$at > since).sort(\.$at).all()
            if failures.count >= Self.failureLimit, let first = failures.first {
                // Stored times may be rounded; the wait never exceeds the window.
                let wait = min(Self.lockoutWindow, first.at.addingTimeInterval(Self.lockoutWindow).timeIntervalSince(now))
                return .lockedOut(retryAfter: max(1, Int(wait.rounded(.up))))
            }
        }
        let matches =
            try await Passwords.verify(password, against: account?.passwordHash ?? Self.decoyHash) && password.count <= Passwords.maximumLength
        guard let account, matches, account.isActive else {
            let failure = SignInFailure()
            failure.accountID = account?.id
            failure.at = now
            try await failure.create(on: database)
            try await AuditLog(database: database).record(
                "signin.failed",
                by: nil,
                subjectType: account == nil ? nil : "staff_account",
                subjectID: account?.id?.uuidString,
                at: now
            )
            return .refused
        }
        let token = Self.randomToken()
        let accountID = try account.requireID()
        try await database.transaction { db in
            let session = StaffSession()
            session.id = Self.hash(token)
            session.$account.id = accountID
            session.csrfToken = Self.randomToken()
            session.createdAt = now
            session.lastSeenAt = now
            try await session.create(on: db)
            try await AuditLog(database: db).record(
                "signin.succeeded",
                by: accountID,
                subjectType: "staff_account",
                subjectID: accountID.uuidString,
                at: now
            )
        }
        return .signedIn(token: token, accountID: accountID)
    }

    /// The account and session a cookie's token belongs to, while the session is alive and the
    /// account enabled. Keeps the session alive by noting the time (at most once a minute).
    public func session(token: String) async throws -> (account: StaffAccount, session: StaffSession)? {
        guard !token.isEmpty, token.count <= 64 else { return nil }
        let now = clock.now
        guard let session = try await StaffSession.query(on: database).filter(\.$id == Self.hash(token)).with(\.$account).first() else { return nil }
        let expired = now.timeIntervalSince(session.lastSeenAt) > Self.idleTimeout || now.timeIntervalSince(session.createdAt) > Self.absoluteTimeout
        guard !expired, session.account.isActive else {
            try await session.delete(on: database)
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) > 60 {
            session.lastSeenAt = now
            try await session.update(on: database)
        }
        return (session.account, session)
    }

    /// Ends a session on the server, so the cookie is worthless even if it was copied.
    public func signOut(token: String) async throws {
        try await StaffSession.query(on: database).filter(\.$id == Self.hash(token)).delete()
    }

    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
