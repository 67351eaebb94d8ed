import CommonsAccounts
import CommonsPrivacy
import Foundation
import Hummingbird

/// A cookie the server signs for one purpose, naming a subject and when it was made
/// (`SUBJECT.SECONDS~SIGNATURE`), good for `lifetime`: `HttpOnly`, `SameSite=Strict`, `Path=/`.
struct DatedCookie {
    let name: String
    let purpose: String
    let lifetime: TimeInterval

    func cookie(_ subject: String, site: Site, secure: Bool) -> Cookie {
        let payload = "\(subject).\(Int(site.clock.now.timeIntervalSince1970))"
        return Cookie(
            name: name,
            value: SignedValue(keys: site.keys, purpose: purpose).sign(payload),
            maxAge: Int(lifetime),
            path: "/",
            secure: secure,
            httpOnly: true,
            sameSite: .strict
        )
    }

    func cleared(secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The subject of the request's cookie, when it was signed here for this purpose within its lifetime.
    func subject(_ request: Request, site: Site) -> Substring? {
        guard let raw = request.cookies[name]?.value, let payload = SignedValue(keys: site.keys, purpose: purpose).verify(raw) else {
            return nil
        }
        let parts = payload.split(separator: ".")
        guard parts.count == 2, parts[1].utf8.count <= 12, let seconds = Int(parts[1]) else { return nil }
        let age = site.clock.now.timeIntervalSince1970 - Double(seconds)
        return age >= 0 && age < lifetime ? parts[0] : nil
    }
}

/// A browser that has signed in to an account before carries a signed cookie naming that
/// account's email key and when; while someone guesses that account's password elsewhere, this
/// browser still signs in at once (see `SignInDesk`). The cookie holds no email, only its hash.
enum KnownDevice {
    static let signed = DatedCookie(name: "commons_device", purpose: "known-device", lifetime: 90 * 24 * 3600)

    static func cookie(email: String, site: Site, secure: Bool) -> Cookie {
        signed.cookie(SignInDesk.emailKey(email), site: site, secure: secure)
    }

    /// True when the request's cookie was signed here for this email within its lifetime.
    static func isKnown(_ request: Request, email: String, site: Site) -> Bool {
        signed.subject(request, site: site) == Substring(SignInDesk.emailKey(email))
    }
}

/// Between the two steps of a sign-in with two-factor: a signed cookie saying whose password
/// was right, and when. It is no session: it opens nothing but the code page, for ten minutes.
enum PendingSignIn {
    static let signed = DatedCookie(name: "commons_sign_in", purpose: "pending-sign-in", lifetime: 10 * 60)
    static var cookieName: String { signed.name }

    static func cookie(accountID: UUID, site: Site, secure: Bool) -> Cookie {
        signed.cookie(accountID.uuidString, site: site, secure: secure)
    }

    static func cleared(secure: Bool) -> Cookie { signed.cleared(secure: secure) }

    /// The account whose password was right, while the cookie is young enough.
    static func read(_ request: Request, site: Site) -> UUID? {
        signed.subject(request, site: site).flatMap { UUID(uuidString: String($0)) }
    }
}
