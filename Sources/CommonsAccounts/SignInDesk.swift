import CommonsAudit
import CommonsCore
import Crypto
import FluentKit
import Foundation
import HummingbirdBcrypt

/// Signing staff in and out, and the sessions that keep them signed in.
///
/// Wrong passwords never lock the right one out. Failures are counted per email typed (known
/// or not, so the answers reveal no staff address); past `failureLimit` within `failureWindow`
/// a browser that has not signed in to that account before must wait, longer after each further
/// failure (`throttleDelay`), while a browser that has (its known-device cookie, checked by the
/// web layer) goes on as usual. The web layer also limits each client address on its own.
public struct SignInDesk: Sendable {
    /// Failures for one email within `failureWindow` before unknown browsers must wait.
    public static let failureLimit = 5
    public static let failureWindow: TimeInterval = 15 * 60
    /// How long a sign-in form may be sent after it was shown (once).
    public static let formLifetime: TimeInterval = 60 * 60
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
        /// Too many recent failures for this email from browsers it does not know: try again
        /// after this many seconds (the same for known and unknown emails).
        case throttled(retryAfter: Int)
        /// This sign-in form was already sent once.
        case formReused
    }

    /// The wait before an unknown browser may try again after `failures` recent failures:
    /// none below the limit, then 30 s doubling with each failure, at most the window.
    public static func throttleDelay(failures: Int) -> TimeInterval {
        guard failures >= failureLimit else { return 0 }
        let doublings = min(failures - failureLimit, 5)
        return min(failureWindow, 30 * pow(2, Double(doublings)))
    }

    /// A hash of a password nobody has, so an unknown email costs as much time as a known one.
    static let decoyHash = Bcrypt.hash(Passwords.prehash(Passwords.generate()), cost: Passwords.cost)

    /// The key failures are counted under: the normalized email, hashed.
    public static func emailKey(_ email: String) -> String {
        hash("sign-in|" + EmailAddress.normalize(email))
    }

    /// - Parameters:
    ///   - formID: the sign-in form's one-time id; a second use is refused.
    ///   - knownDevice: the browser signed in to this email's account before (signed cookie).
    public func signIn(email rawEmail: String, password: String, formID: String, knownDevice: Bool = false) async throws -> Outcome {
        let email = EmailAddress.normalize(rawEmail)
        let key = Self.emailKey(email)
        let now = clock.now
        guard try await useForm(formID, at: now) else { return .formReused }
        let since = now.addingTimeInterval(-Self.failureWindow)
        let failures = try await SignInFailure.query(on: database).filter(\.$emailKey == key).filter(\.$at > since).sort(\.$at, .descending).all()
        if !knownDevice, failures.count >= Self.failureLimit, let last = failures.first {
            let wait = last.at.addingTimeInterval(Self.throttleDelay(failures: failures.count)).timeIntervalSince(now)
            if wait > 0 { return .throttled(retryAfter: max(1, Int(wait.rounded(.up)))) }
        }
        let account = try await StaffAccount.query(on: database).filter(\.$email == email).first()
        let matches =
            try await Passwords.verify(password, against: account?.passwordHash ?? Self.decoyHash) && password.count <= Passwords.maximumLength
        guard let account, matches, account.isActive else {
            try await database.transaction { db in
                let failure = SignInFailure()
                failure.accountID = account?.id
                failure.emailKey = key
                failure.at = now
                try await failure.create(on: db)
                let audit = AuditLog(database: db)
                let subjectType = account == nil ? nil : "staff_account"
                try await audit.record("signin.failed", by: nil, subjectType: subjectType, subjectID: account?.id?.uuidString, at: now)
                if failures.count + 1 == Self.failureLimit {
                    // Admins see when an account starts being throttled (never the email typed for an unknown one).
                    try await audit.record("signin.throttled", by: nil, subjectType: subjectType, subjectID: account?.id?.uuidString, at: now)
                }
            }
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

    /// Marks a sign-in form as sent; false when it was sent before. Forms older than their
    /// lifetime are refused by the web layer, so their ids are forgotten after it.
    private func useForm(_ formID: String, at now: Date) async throws -> Bool {
        try await UsedSignInForm.query(on: database).filter(\.$at < now.addingTimeInterval(-Self.formLifetime)).delete()
        let use = UsedSignInForm()
        use.id = Self.hash("form|" + formID)
        use.at = now
        do {
            try await use.create(on: database)
            return true
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }

    /// Accounts throttled since `date`, newest first, for admins: when, and which account (nil: an unknown email).
    public func recentThrottling(since date: Date) async throws -> [(at: Date, accountID: UUID?)] {
        try await AuditEntry.query(on: database).filter(\.$action == "signin.throttled").filter(\.$at >= date).sort(\.$at, .descending).limit(50)
            .all().map { ($0.at, $0.subjectID.flatMap(UUID.init(uuidString:))) }
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
