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
            return payload + "." + signature(payload)
        }

        /// The token's contents when the signature holds; nil for anything forged or garbled.
        public func verify(_ token: String) -> FormToken? {
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, let seconds = Int(parts[1]), !parts[0].isEmpty, parts[0].count <= 32 else { return nil }
            let payload = "\(parts[0]).\(parts[1])"
            let expected = Data(signature(payload).utf8)
            let given = Data(parts[2].utf8)
            // Constant-time comparison of the two signatures.
            guard expected.count == given.count, zip(expected, given).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
            return FormToken(id: String(parts[0]), issuedAt: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }

        private func signature(_ payload: String) -> String {
            Data(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: keys.formTokenKey)).base64URLEncoded
        }
    }
}

extension Data {
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
            of: "=",
            with: ""
        )
    }
}
