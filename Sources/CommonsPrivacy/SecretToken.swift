import CommonsCore
import Crypto
import Foundation

/// The random secrets handed out once and kept only as a digest: staff session cookies and
/// their CSRF tokens, API tokens, self-service links. One maker and one digest for all of them.
public enum SecretToken {
    /// 256 random bits from the system's generator, as base64url without padding (43 characters).
    public static func make() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64URLEncoded
    }

    /// The SHA-256 of the text in hex: what the database keeps in the token's place.
    public static func hash(_ token: String) -> String {
        Hex.string(SHA256.hash(data: Data(token.utf8)))
    }
}
