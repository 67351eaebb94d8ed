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
