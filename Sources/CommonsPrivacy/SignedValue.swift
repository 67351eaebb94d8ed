import Crypto
import Foundation

/// A short value signed with the site's form-token key for one purpose (a known-device cookie,
/// say), so the browser can carry it and the server can trust it came from here. The purpose is
/// part of what is signed: a value signed for one use is worthless for another.
public struct SignedValue: Sendable {
    let keys: DataKeys
    let purpose: String

    public init(keys: DataKeys, purpose: String) {
        self.keys = keys
        self.purpose = purpose
    }

    /// `PAYLOAD~SIGNATURE`; the payload must not contain `~`.
    public func sign(_ payload: String) -> String {
        payload + "~" + FormToken.Signer.signature(purpose + "|" + payload, key: keys.current.formTokenKey)
    }

    /// The payload when the signature holds under any key version; nil otherwise.
    public func verify(_ token: String) -> String? {
        guard token.utf8.count <= 512, let split = token.lastIndex(of: "~") else { return nil }
        let payload = String(token[..<split])
        return FormToken.Signer.holds(token[token.index(after: split)...], for: purpose + "|" + payload, keys: keys) ? payload : nil
    }
}
