import CommonsCore
import Crypto
import Foundation

/// The `Commons-Signature` header: `t=UNIX_SECONDS,v1=HEX`, HEX the HMAC-SHA256, keyed with the
/// webhook's secret (its UTF-8 bytes), of `"{t}.{body}"`. A receiver recomputes it, compares in
/// constant time, and refuses a `t` far from its own clock (a replayed delivery).
public enum WebhookSignature {
    public static func header(secret: String, timestamp: Int, body: [UInt8]) -> String {
        "t=\(timestamp),v1=\(hex(secret: secret, timestamp: timestamp, body: body))"
    }

    static func hex(secret: String, timestamp: Int, body: [UInt8]) -> String {
        var message = Array("\(timestamp).".utf8)
        message += body
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return Hex.string(code)
    }

    /// Whether `header` signs `body` with `secret` and was made within `tolerance` seconds of `now`.
    public static func verify(header: String, secret: String, body: [UInt8], now: Date, tolerance: TimeInterval = 300) -> Bool {
        var timestamp: Int?
        var signature: String?
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signature = String(pair[1]) }
        }
        guard let timestamp, let signature, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = hex(secret: secret, timestamp: timestamp, body: body)
        guard expected.utf8.count == signature.utf8.count else { return false }
        return zip(expected.utf8, signature.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
