import Crypto
import Foundation

/// The one-time token every public form carries: a random id and the time the form was
/// shown, signed so it cannot be forged. The id makes a resubmission recognisable (a double
/// click records nothing new); the time lets the server ignore forms filled faster than a person can.
public struct FormToken: Sendable, Equatable {
    public let id: String
    public let issuedAt: Date

    public struct Signer: Sendable {
        let keys: DataKeys

        public init(keys: DataKeys) {
            self.keys = keys
        }

        public func issue(at now: Date) -> String {
            let id = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }.base64URLEncoded
            let payload = "\(id).\(Int(now.timeIntervalSince1970))"
            return payload + "." + Self.signature(payload, key: keys.current.formTokenKey)
        }

        /// The token's contents when the signature holds under any key version (a form shown
        /// just before a rotation still counts); nil for anything forged or garbled.
        public func verify(_ token: String) -> FormToken? {
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, let seconds = Int(parts[1]), !parts[0].isEmpty, parts[0].count <= 32 else { return nil }
            guard Self.holds(parts[2], for: "\(parts[0]).\(parts[1])", keys: keys) else { return nil }
            return FormToken(id: String(parts[0]), issuedAt: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }

        /// True when `signature` signs `payload` under any key version, compared in constant time.
        static func holds(_ signature: Substring, for payload: String, keys: DataKeys) -> Bool {
            let given = Data(signature.utf8)
            return keys.all.contains { version in
                let expected = Data(Self.signature(payload, key: version.formTokenKey).utf8)
                return expected.count == given.count && zip(expected, given).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
            }
        }

        static func signature(_ payload: String, key: SymmetricKey) -> String {
            Data(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)).base64URLEncoded
        }
    }
}

extension Data {
    /// Base64url without padding, in one pass over base64's bytes (Foundation's
    /// `replacingOccurrences`, three times, was a few percent of checking a sign-up's token).
    var base64URLEncoded: String {
        var bytes: [UInt8] = []
        let standard = base64EncodedData()
        bytes.reserveCapacity(standard.count)
        for byte in standard {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
