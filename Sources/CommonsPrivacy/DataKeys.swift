import Crypto
import Foundation

/// The keys that protect supporters' personal data: one for encryption and one for blind
/// indexes, both derived with HKDF from the site's data key.
// SymmetricKey is immutable storage, safe to share between threads; swift-crypto 3 does not
// mark it Sendable.
public struct DataKeys: @unchecked Sendable {
    /// Bumped by key rotation; stored with every encrypted value.
    public let version: UInt8
    let encryptionKey: SymmetricKey
    let indexKey: SymmetricKey
    let formTokenKey: SymmetricKey

    /// Derives the working keys from 32 bytes of key material.
    public init(material: Data, version: UInt8 = 1) throws {
        guard material.count == 32 else { throw DataKeyError.wrongLength(material.count) }
        let master = SymmetricKey(data: material)
        func derive(_ purpose: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: Data("commons".utf8), info: Data(purpose.utf8), outputByteCount: 32)
        }
        self.version = version
        encryptionKey = derive("commons pii encryption v1")
        indexKey = derive("commons blind index v1")
        formTokenKey = derive("commons form tokens v1")
    }

    /// A value stored beside the data that proves later starts use the same key.
    public var checkValue: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("commons key check".utf8), using: indexKey)
        return Data(mac).base64EncodedString()
    }

    /// The key from `COMMONS_DATA_KEY` (base64 of 32 bytes), else from `keys/data.key` in the
    /// data directory, which is created with mode 0600 on the first start.
    public static func load(environmentValue: String?, dataDirectory: String) throws -> (keys: DataKeys, created: Bool) {
        if let value = environmentValue?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            guard let material = Data(base64Encoded: value) else { throw DataKeyError.notBase64 }
            return (try DataKeys(material: material), false)
        }
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("keys")
        let file = folder.appendingPathComponent("data.key")
        if FileManager.default.fileExists(atPath: file.path) {
            let text = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let material = Data(base64Encoded: text) else { throw DataKeyError.unreadableFile(file.path) }
            return (try DataKeys(material: material), false)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let material = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        // Created with its final mode, so the key is never readable by others, not even briefly.
        guard
            FileManager.default.createFile(
                atPath: file.path,
                contents: Data((material.base64EncodedString() + "\n").utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else { throw DataKeyError.unreadableFile(file.path) }
        return (try DataKeys(material: material), true)
    }
}

public enum DataKeyError: Error, CustomStringConvertible, Equatable {
    case wrongLength(Int)
    case notBase64
    case unreadableFile(String)
    /// The database was written with another key.
    case mismatch

    public var description: String {
        switch self {
        case .wrongLength(let count): "COMMONS_DATA_KEY must be 32 bytes in base64 (it has \(count) bytes). Make one with: openssl rand -base64 32"
        case .notBase64: "COMMONS_DATA_KEY is not base64. Make one with: openssl rand -base64 32"
        case .unreadableFile(let path): "The data key file \(path) cannot be read or written."
        case .mismatch:
            "Refusing to run: this database's supporter data was encrypted with a different data key. Set COMMONS_DATA_KEY "
                + "(or restore keys/data.key in the data directory) to the key it was written with; a new key would make it unreadable."
        }
    }
}
