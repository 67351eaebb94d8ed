import CommonsAccounts
import CommonsPrivacy
import Foundation
import Hummingbird

/// A browser that has signed in to an account before carries a signed cookie naming that
/// account's email key and when; while someone guesses that account's password elsewhere, this
/// browser still signs in at once (see `SignInDesk`). The cookie holds no email, only its hash.
enum KnownDevice {
    static let cookieName = "commons_device"
    static let lifetime: TimeInterval = 90 * 24 * 3600

    static func signer(_ site: Site) -> SignedValue { SignedValue(keys: site.keys, purpose: "known-device") }

    static func cookie(email: String, site: Site, secure: Bool) -> Cookie {
        let payload = "\(SignInDesk.emailKey(email)).\(Int(site.clock.now.timeIntervalSince1970))"
        return Cookie(
            name: cookieName,
            value: signer(site).sign(payload),
            maxAge: Int(lifetime),
            path: "/",
            secure: secure,
            httpOnly: true,
            sameSite: .strict
        )
    }

    /// True when the request's cookie was signed here for this email within its lifetime.
    static func isKnown(_ request: Request, email: String, site: Site) -> Bool {
        guard let raw = request.cookies[cookieName]?.value, let payload = signer(site).verify(raw) else { return false }
        let parts = payload.split(separator: ".")
        guard parts.count == 2, parts[0] == SignInDesk.emailKey(email), parts[1].utf8.count <= 12, let seconds = Int(parts[1]) else {
            return false
        }
        let age = site.clock.now.timeIntervalSince1970 - Double(seconds)
        return age >= 0 && age < lifetime
    }
}

/// Between the two steps of a sign-in with two-factor: a signed cookie saying whose password
/// was right, and when. It is no session: it opens nothing but the code page, for ten minutes.
enum PendingSignIn {
    static let cookieName = "commons_sign_in"
    static let lifetime: TimeInterval = 10 * 60

    static func signer(_ site: Site) -> SignedValue { SignedValue(keys: site.keys, purpose: "pending-sign-in") }

    static func cookie(accountID: UUID, site: Site, secure: Bool) -> Cookie {
        let payload = "\(accountID.uuidString).\(Int(site.clock.now.timeIntervalSince1970))"
        return Cookie(
            name: cookieName,
            value: signer(site).sign(payload),
            maxAge: Int(lifetime),
            path: "/",
            secure: secure,
            httpOnly: true,
            sameSite: .strict
        )
    }

    static func cleared(secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The account whose password was right, while the cookie is young enough.
    static func read(_ request: Request, site: Site) -> UUID? {
        guard let raw = request.cookies[cookieName]?.value, let payload = signer(site).verify(raw) else { return nil }
        let parts = payload.split(separator: ".")
        guard parts.count == 2, let accountID = UUID(uuidString: String(parts[0])), parts[1].utf8.count <= 12, let seconds = Int(parts[1]) else {
            return nil
        }
        let age = site.clock.now.timeIntervalSince1970 - Double(seconds)
        guard age >= 0, age < lifetime else { return nil }
        return accountID
    }
}
