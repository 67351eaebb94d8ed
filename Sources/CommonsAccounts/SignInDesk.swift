import CommonsAudit
import CommonsCore
import CommonsPrivacy
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
        /// The password was right and the account has two-factor on: no session yet, until a
        /// code is given (`completeSignIn`).
        case secondFactorNeeded(accountID: UUID)
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
        SecretToken.hash("sign-in|" + EmailAddress.normalize(email))
    }

    /// - Parameters:
    ///   - formID: the sign-in form's one-time id; a second use is refused.
    ///   - knownDevice: the browser signed in to this email's account before (signed cookie).
    ///   - browser: the browser family, shown on the sessions page.
    public func signIn(
        email rawEmail: String,
        password: String,
        formID: String,
        knownDevice: Bool = false,
        browser: String? = nil
    ) async throws
        -> Outcome
    {
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
            try await recordFailure(account: account, key: key, recentFailures: failures.count, at: now)
            return .refused
        }
        let accountID = try account.requireID()
        if account.hasTwoFactor { return .secondFactorNeeded(accountID: accountID) }
        return .signedIn(token: try await startSession(accountID, browser: browser, action: "signin.succeeded"), accountID: accountID)
    }

    /// The second step of a sign-in with two-factor: an authenticator or recovery code. Wrong
    /// codes count toward the same lock-out as wrong passwords, and no browser is exempt (whoever
    /// is here has the password already).
    public func completeSignIn(accountID: UUID, code: String, twoFactor: TwoFactor, browser: String? = nil) async throws -> Outcome {
        guard let account = try await StaffAccount.find(accountID, on: database), account.isActive, account.hasTwoFactor else { return .refused }
        let key = Self.emailKey(account.email)
        if let wait = try await throttled(key) { return .throttled(retryAfter: wait) }
        guard let method = try await twoFactor.verify(accountID, code: code) else {
            try await recordFailure(account: account, key: key, recentFailures: try await recentFailures(key).count, at: clock.now)
            return .refused
        }
        let action = method == .recoveryCode ? "signin.succeeded_recovery_code" : "signin.succeeded"
        return .signedIn(token: try await startSession(accountID, browser: browser, action: action), accountID: accountID)
    }

    /// Asks again, before a dangerous action: the password or a code, entered now, makes the
    /// session's step-up fresh for `stepUpLifetime`.
    public func stepUp(token: String, accountID: UUID, secret: String, twoFactor: TwoFactor) async throws -> StepUpOutcome {
        guard let account = try await StaffAccount.find(accountID, on: database), account.isActive else { return .refused }
        let key = Self.emailKey(account.email)
        if let wait = try await throttled(key) { return .throttled(retryAfter: wait) }
        var passes = false
        if !secret.isEmpty, secret.count <= Passwords.maximumLength {
            passes = try await Passwords.verify(secret, against: account.passwordHash)
            if !passes, account.hasTwoFactor { passes = try await twoFactor.verify(accountID, code: secret) != nil }
        }
        let now = clock.now
        guard passes else {
            try await recordFailure(account: account, key: key, recentFailures: try await recentFailures(key).count, at: now)
            return .refused
        }
        try await database.transaction { db in
            try await StaffSession.query(on: db).filter(\.$id == SecretToken.hash(token)).set(\.$verifiedAt, to: now).update()
            try await AuditLog(database: db).record(
                "stepup.succeeded",
                by: accountID,
                subjectType: "staff_account",
                subjectID: accountID.uuidString,
                at: now
            )
        }
        return .verified
    }

    public enum StepUpOutcome: Sendable, Equatable {
        case verified, refused
        case throttled(retryAfter: Int)
    }

    /// How long a password or code entered keeps dangerous actions open.
    public static let stepUpLifetime: TimeInterval = 10 * 60

    /// Whether the session's password or code was entered recently enough for a dangerous action.
    public func isFresh(_ session: StaffSession) -> Bool {
        clock.now.timeIntervalSince(session.verifiedAt ?? .distantPast) < Self.stepUpLifetime
    }

    /// How many emails typed (known or not) are locked out now: at `failureLimit` failures or
    /// more within `failureWindow`. A count for the dashboard; which emails, it does not say.
    public func lockOuts() async throws -> Int {
        let since = clock.now.addingTimeInterval(-Self.failureWindow)
        let keys = try await SignInFailure.query(on: database).filter(\.$at > since).field(\.$emailKey).all().compactMap(\.emailKey)
        return Dictionary(grouping: keys, by: { $0 }).values.filter { $0.count >= Self.failureLimit }.count
    }

    func recentFailures(_ key: String) async throws -> [SignInFailure] {
        let since = clock.now.addingTimeInterval(-Self.failureWindow)
        return try await SignInFailure.query(on: database).filter(\.$emailKey == key).filter(\.$at > since).sort(\.$at, .descending).all()
    }

    /// Seconds to wait when the email's recent failures have reached the limit; nil when none.
    func throttled(_ key: String) async throws -> Int? {
        let failures = try await recentFailures(key)
        guard failures.count >= Self.failureLimit, let last = failures.first else { return nil }
        let wait = last.at.addingTimeInterval(Self.throttleDelay(failures: failures.count)).timeIntervalSince(clock.now)
        return wait > 0 ? max(1, Int(wait.rounded(.up))) : nil
    }

    func recordFailure(account: StaffAccount?, key: String, recentFailures: Int, at now: Date) async throws {
        try await database.transaction { db in
            let failure = SignInFailure()
            failure.accountID = account?.id
            failure.emailKey = key
            failure.at = now
            try await failure.create(on: db)
            let audit = AuditLog(database: db)
            let subjectType = account == nil ? nil : "staff_account"
            try await audit.record("signin.failed", by: nil, subjectType: subjectType, subjectID: account?.id?.uuidString, at: now)
            if recentFailures + 1 == Self.failureLimit {
                // Admins see when an account starts being throttled (never the email typed for an unknown one).
                try await audit.record("signin.throttled", by: nil, subjectType: subjectType, subjectID: account?.id?.uuidString, at: now)
            }
        }
    }

    /// A new session, its step-up fresh (the password, and the code, were just entered).
    func startSession(_ accountID: UUID, browser: String?, action: String) async throws -> String {
        let token = SecretToken.make()
        let now = clock.now
        try await database.transaction { db in
            let session = StaffSession()
            session.id = SecretToken.hash(token)
            session.$account.id = accountID
            session.csrfToken = SecretToken.make()
            session.createdAt = now
            session.lastSeenAt = now
            session.verifiedAt = now
            session.browser = browser.map { String($0.prefix(60)) }
            try await session.create(on: db)
            try await AuditLog(database: db).record(action, by: accountID, subjectType: "staff_account", subjectID: accountID.uuidString, at: now)
        }
        return token
    }

    /// Marks a sign-in form as sent; false when it was sent before. Forms older than their
    /// lifetime are refused by the web layer, so their ids are forgotten after it.
    private func useForm(_ formID: String, at now: Date) async throws -> Bool {
        try await UsedSignInForm.query(on: database).filter(\.$at < now.addingTimeInterval(-Self.formLifetime)).delete()
        let use = UsedSignInForm()
        use.id = SecretToken.hash("form|" + formID)
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
        guard let session = try await StaffSession.query(on: database).filter(\.$id == SecretToken.hash(token)).with(\.$account).first() else {
            return nil
        }
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
        try await StaffSession.query(on: database).filter(\.$id == SecretToken.hash(token)).delete()
    }

    /// The handle of the session a cookie's token opens (see `StaffSession.handle`).
    public static func handle(ofToken token: String) -> String { String(SecretToken.hash("handle|" + SecretToken.hash(token)).prefix(20)) }

    /// An account's live sessions, the most recently seen first.
    public func sessions(of accountID: UUID) async throws -> [StaffSession] {
        let now = clock.now
        return try await StaffSession.query(on: database).filter(\.$account.$id == accountID).sort(\.$lastSeenAt, .descending).all()
            .filter { now.timeIntervalSince($0.lastSeenAt) <= Self.idleTimeout && now.timeIntervalSince($0.createdAt) <= Self.absoluteTimeout }
    }

    /// Ends one of an account's sessions, named by its handle; false when it has no such session.
    @discardableResult
    public func endSession(handle: String, of accountID: UUID, by actor: UUID) async throws -> Bool {
        guard let session = try await StaffSession.query(on: database).filter(\.$account.$id == accountID).all().first(where: { $0.handle == handle })
        else { return false }
        try await database.transaction { db in
            try await session.delete(on: db)
            try await AuditLog(database: db).record(
                "session.ended",
                by: actor,
                subjectType: "staff_account",
                subjectID: accountID.uuidString,
                at: clock.now
            )
        }
        return true
    }

    /// Ends every session of an account but `keeping` (a token; nil ends them all); audited.
    public func endSessions(of accountID: UUID, except keeping: String?, by actor: UUID) async throws {
        try await database.transaction { db in
            try await Self.endSessions(of: accountID, except: keeping, on: db)
            let detail = keeping == nil ? "all" : "others"
            try await AuditLog(database: db).record(
                "session.ended",
                by: actor,
                subjectType: "staff_account",
                subjectID: accountID.uuidString,
                detail: detail,
                at: clock.now
            )
        }
    }

    static func endSessions(of accountID: UUID, except keeping: String?, on db: any Database) async throws {
        let query = StaffSession.query(on: db).filter(\.$account.$id == accountID)
        if let keeping { query.filter(\.$id != SecretToken.hash(keeping)) }
        try await query.delete()
    }
}
