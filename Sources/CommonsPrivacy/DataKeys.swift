import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The working keys of one version of the data key: one for encryption, one for blind
/// indexes, one for form tokens, each derived with HKDF from the key material.
// SymmetricKey is immutable storage, safe to share between threads; swift-crypto 3 does not
// mark it Sendable.
struct VersionKeys: @unchecked Sendable {
    let version: UInt8
    let encryptionKey: SymmetricKey
    let indexKey: SymmetricKey
    let formTokenKey: SymmetricKey

    init(material: Data, version: UInt8) throws {
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

    var check: String {
        Data(HMAC<SHA256>.authenticationCode(for: Data("commons key check".utf8), using: indexKey)).base64EncodedString()
    }
}

/// The keys that protect supporters' personal data, in every version still in use. New values
/// are sealed with the current (highest) version; older versions stay to open what was
/// written with them until `commons keys rotate` has re-encrypted it.
///
/// The key comes from `COMMONS_DATA_KEY` (`BASE64`, or `2:NEW,1:OLD` for several versions),
/// else from `keys/data.key` in the data directory (one `VERSION BASE64` line a version), which
/// the first start creates with mode 0600. A server notices a key file that rotation changed
/// within a few seconds and starts sealing with the new version.
public final class DataKeys: @unchecked Sendable {
    private let lock = NSLock()
    private var versions: [UInt8: VersionKeys]
    private let file: URL?
    private var fileStamp: Date?
    private var lastLook = Date.distantPast

    /// One version, from 32 bytes of key material (tests, and keys given whole).
    public convenience init(material: Data, version: UInt8 = 1) throws {
        self.init(versions: [version: try VersionKeys(material: material, version: version)], file: nil)
    }

    init(versions: [UInt8: VersionKeys], file: URL?) {
        self.versions = versions
        self.file = file
        self.fileStamp = file.flatMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.modificationDate] as? Date }
    }

    /// The version new values are sealed with.
    public var version: UInt8 { current.version }

    var current: VersionKeys {
        reloadIfChanged()
        return lock.withLock { versions[versions.keys.max()!]! }
    }

    /// The keys of one version, rereading the key file once if it is not known yet.
    func keys(for version: UInt8) -> VersionKeys? {
        if let found = lock.withLock({ versions[version] }) { return found }
        reloadIfChanged(force: true)
        return lock.withLock { versions[version] }
    }

    /// Every version, newest first, for lookups that must find values indexed under any of them.
    var all: [VersionKeys] {
        reloadIfChanged()
        return lock.withLock { versions.values.sorted { $0.version > $1.version } }
    }

    /// Stored beside the data: proves later starts use a key the data was written with.
    public var checkValue: String { "\(current.version):\(current.check)" }

    /// True when `stored` (a `checkValue`) names a version this keyring holds, with the same key.
    public func matches(checkValue stored: String) -> Bool {
        // A check value without a version (base64 has no colon) was written by version 1.
        let parts = stored.contains(":") ? stored.split(separator: ":", maxSplits: 1) : ["1", Substring(stored)]
        guard parts.count == 2, let version = UInt8(parts[0]), let keys = keys(for: version) else { return false }
        return keys.check == parts[1]
    }

    public static func load(environmentValue: String?, dataDirectory: String) throws -> (keys: DataKeys, created: Bool) {
        if let value = environmentValue?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            return (DataKeys(versions: try parse(value, separator: ",", pair: ":"), file: nil), false)
        }
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("keys")
        let file = folder.appendingPathComponent("data.key")
        if FileManager.default.fileExists(atPath: file.path) {
            return (DataKeys(versions: try read(file), file: file), false)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try write(["1 " + newMaterial().base64EncodedString()], to: file)
        return (DataKeys(versions: try read(file), file: file), true)
    }

    /// Adds a new version to the key file and makes it current; returns its number. Only for
    /// keys kept in the data directory: a key given in `COMMONS_DATA_KEY` is rotated by giving
    /// the new one first in it (`2:NEW,1:OLD`).
    public func addVersion() throws -> UInt8 {
        guard let file else { throw DataKeyError.rotationNeedsKeyFile }
        let existing = try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        let next = (lock.withLock { versions.keys.max() } ?? 0) + 1
        try Self.write(["\(next) " + Self.newMaterial().base64EncodedString()] + Self.normalizedLines(existing), to: file)
        reloadIfChanged(force: true)
        return next
    }

    private func reloadIfChanged(force: Bool = false) {
        guard let file else { return }
        let now = Date()
        let due = lock.withLock { () -> Bool in
            guard force || now.timeIntervalSince(lastLook) > 2 else { return false }
            lastLook = now
            return true
        }
        guard due else { return }
        let stamp = try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        guard force || stamp != lock.withLock({ fileStamp }), let reread = try? Self.read(file) else { return }
        lock.withLock {
            // Versions are only ever added: one missing from the file stays known to this process.
            versions.merge(reread) { _, new in new }
            fileStamp = stamp
        }
    }

    static func newMaterial() -> Data { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) } }

    static func read(_ file: URL) throws -> [UInt8: VersionKeys] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { throw DataKeyError.unreadableFile(file.path) }
        return try parse(
            normalizedLines(text.split(whereSeparator: \.isNewline).map(String.init)).joined(separator: "\n"),
            separator: "\n",
            pair: " "
        )
    }

    /// A file from before versions (one bare base64 line) is version 1.
    static func normalizedLines(_ lines: [String]) -> [String] {
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return trimmed.count == 1 && !trimmed[0].contains(" ") ? ["1 " + trimmed[0]] : trimmed
    }

    static func parse(_ text: String, separator: Character, pair: Character) throws -> [UInt8: VersionKeys] {
        var versions: [UInt8: VersionKeys] = [:]
        let entries = text.split(separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for entry in entries {
            let parts = entry.split(separator: pair, maxSplits: 1)
            let (version, encoded): (UInt8, Substring) = parts.count == 2 ? (UInt8(parts[0]) ?? 0, parts[1]) : (1, parts[0])
            guard version > 0 else { throw DataKeyError.notBase64 }
            guard let material = Data(base64Encoded: String(encoded)) else { throw DataKeyError.notBase64 }
            versions[version] = try VersionKeys(material: material, version: version)
        }
        guard !versions.isEmpty else { throw DataKeyError.notBase64 }
        return versions
    }

    /// Written to a new file with its final mode, then moved over the old one.
    static func write(_ lines: [String], to file: URL) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".data.key.\(UUID().uuidString)")
        guard
            FileManager.default.createFile(
                atPath: temporary.path,
                contents: Data((lines.joined(separator: "\n") + "\n").utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else { throw DataKeyError.unreadableFile(file.path) }
        // rename(2) replaces the old file in one step: a reader sees the old key file or the new one.
        guard rename(temporary.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw DataKeyError.unreadableFile(file.path)
        }
    }
}

public enum DataKeyError: Error, CustomStringConvertible, Equatable {
    case wrongLength(Int)
    case notBase64
    case unreadableFile(String)
    /// The database was written with another key.
    case mismatch
    case rotationNeedsKeyFile

    public var description: String {
        switch self {
        case .wrongLength(let count): "COMMONS_DATA_KEY must be 32 bytes in base64 (it has \(count) bytes). Make one with: openssl rand -base64 32"
        case .notBase64: "COMMONS_DATA_KEY (or keys/data.key) is not base64, or not VERSION:BASE64 pairs. Make a key with: openssl rand -base64 32"
        case .unreadableFile(let path): "The data key file \(path) cannot be read or written."
        case .mismatch:
            "Refusing to run: this database's supporter data was encrypted with a different data key. Set COMMONS_DATA_KEY "
                + "(or restore keys/data.key in the data directory) to the key it was written with; a new key would make it unreadable."
        case .rotationNeedsKeyFile:
            "COMMONS_DATA_KEY is set, so the new key comes from you: put it first, as COMMONS_DATA_KEY=2:NEW,1:OLD, on every server, then run commons keys rotate to re-encrypt."
        }
    }
}
