import CommonsCore
import Crypto
import Foundation

/// Encrypts one personal value for one place: AES-256-GCM with a fresh nonce, the key version
/// in front, and the table, column and row id bound in as associated data, so a value copied
/// to another row or column no longer decrypts.
public struct FieldCipher: Sendable {
    let keys: DataKeys

    public init(keys: DataKeys) {
        self.keys = keys
    }

    /// `[version][nonce 12][ciphertext][tag 16]`, under the current key version.
    public func seal(_ value: String, table: String, column: String, rowID: UUID) throws -> Data {
        let current = keys.current
        let sealed = try AES.GCM.seal(
            Data(value.utf8),
            using: current.encryptionKey,
            authenticating: Self.context(table: table, column: column, rowID: rowID, version: current.version)
        )
        guard let combined = sealed.combined else { throw FieldCipherError.cannotSeal }
        return Data([current.version]) + combined
    }

    public func open(_ stored: Data, table: String, column: String, rowID: UUID) throws -> String {
        guard let version = stored.first, stored.count > 1 + 12 + 16 else { throw FieldCipherError.malformed }
        guard let versionKeys = keys.keys(for: version) else { throw FieldCipherError.unknownKeyVersion(version) }
        let box = try AES.GCM.SealedBox(combined: stored.dropFirst())
        let plain = try AES.GCM.open(
            box,
            using: versionKeys.encryptionKey,
            authenticating: Self.context(table: table, column: column, rowID: rowID, version: version)
        )
        guard let text = String(data: plain, encoding: .utf8) else { throw FieldCipherError.malformed }
        return text
    }

    /// The key version a stored value was sealed with.
    public static func version(of stored: Data) -> UInt8? { stored.first }

    static func context(table: String, column: String, rowID: UUID, version: UInt8) -> Data {
        Data("commons|\(table)|\(column)|\(rowID.uuidString.lowercased())|v\(version)".utf8)
    }
}

public enum FieldCipherError: Error, Equatable {
    case cannotSeal
    case malformed
    case unknownKeyVersion(UInt8)
}

/// A keyed hash of a normalized value, so equal emails or phones can be found without
/// decrypting anything. Used only for high-variety values (emails, phone numbers).
public struct BlindIndex: Sendable {
    let keys: DataKeys

    public init(keys: DataKeys) {
        self.keys = keys
    }

    /// The hash under the current key version, as new rows store it.
    public func hash(_ normalizedValue: String, purpose: String) -> String {
        Self.hash(normalizedValue, purpose: purpose, key: keys.current.indexKey)
    }

    /// The hash under every key version, so a lookup finds rows not yet re-encrypted.
    public func hashes(_ normalizedValue: String, purpose: String) -> [String] {
        keys.all.map { Self.hash(normalizedValue, purpose: purpose, key: $0.indexKey) }
    }

    /// The first four bytes of the hash under the current key version, as a number: a value
    /// that cannot be told from random without the key (see `SupporterVault.newSupporterID`).
    public func prefix(_ value: String, purpose: String) -> UInt32 {
        Self.digest(value, purpose: purpose, key: keys.current.indexKey).prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func hash(_ value: String, purpose: String, key: SymmetricKey) -> String {
        Hex.string(digest(value, purpose: purpose, key: key))
    }

    private static func digest(_ value: String, purpose: String, key: SymmetricKey) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Data("\(purpose)|\(value)".utf8), using: key)
    }
}
