import CommonsCore
import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA-1, 6 digits, 30 s
/// steps, what every authenticator app computes from the secret in an `otpauth://` link.
public enum TOTP {
    public static let digits = 6
    public static let period: TimeInterval = 30
    /// Steps of clock drift accepted either side of now.
    public static let drift: Int64 = 1
    /// 160 bits, the size RFC 4226 recommends for HMAC-SHA-1.
    public static let secretSize = 20

    /// A new random secret.
    public static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<secretSize).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The step (counter) a moment falls in.
    public static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The code for one step, zero-padded to six digits.
    public static func code(secret: [UInt8], step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let value = binary % 1_000_000
        let text = String(value)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step whose code `typed` is, within the drift either side of `date`; nil if none.
    /// Spaces and dashes people type between the digits are ignored.
    public static func matchingStep(_ typed: String, secret: [UInt8], at date: Date) -> Int64? {
        let code = typed.filter { $0 != " " && $0 != "-" }
        guard code.count == digits, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let now = step(at: date)
        var found: Int64?
        // Every candidate is compared, in constant time, so the time taken says nothing.
        for candidate in (now - drift)...(now + drift) where ConstantTime.equal(Self.code(secret: secret, step: candidate), code) {
            found = candidate
        }
        return found
    }

    /// The `otpauth://` link authenticator apps read (from the QR code or a tap on a phone).
    public static func link(secret: [UInt8], issuer: String, account: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@"))
        func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        let label = escape(issuer) + ":" + escape(account)
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(escape(issuer))"
    }
}
