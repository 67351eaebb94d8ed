import CommonsCore
import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Checks and hashes staff passwords.
public enum Passwords {
    public static let minimumLength = 12
    public static let maximumLength = 128
    /// bcrypt's work factor: 2^12 rounds.
    public static let cost: UInt8 = 12

    /// The 10,000 passwords people choose most (zxcvbn's list, from leaked password sets),
    /// lowercased, and the twelve-character-plus variants people reach for when told "at least
    /// 12" (and a few this coalition's members would guess first); refused outright.
    static let common: Set<String> = {
        let shipped = Bundle.module.url(forResource: "common-passwords", withExtension: "txt").flatMap {
            try? String(contentsOf: $0, encoding: .utf8)
        }
        var list = Set((shipped ?? "").split(separator: "\n").map { $0.lowercased() })
        list.formUnion([
            "123456789012", "1234567890123", "password1234", "password12345", "passwordpassword", "qwertyuiop12", "qwertyuiopas",
            "111111111111", "000000000000", "123123123123", "abc123abc123", "iloveyou1234", "letmein12345", "welcome12345", "admin1234567",
            "administrator", "changeme1234", "trustno1trustno1", "football1234", "baseball1234", "princess1234", "sunshine1234",
            "superman1234", "qwerty123456", "1q2w3e4r5t6y", "zaq12wsxcde3", "monkey123456", "dragon123456", "master123456",
            "password123!", "p@ssw0rd1234", "passw0rd1234", "welcome123!!", "correcthorsebatterystaple", "commons12345", "commonscommons",
            "educationjustice", "nyccej123456",
        ])
        return list
    }()

    /// Problems with a new password, as string-catalog keys: shorter than 12 characters, among
    /// the most common, a single character repeated, or containing the email's local part (of
    /// three characters or more: `maria@…` may not be in Maria's password).
    public static func problems(with password: String, email: String) -> [String] {
        if password.count < minimumLength { return ["error.password_too_short"] }
        if password.count > maximumLength { return ["error.password_too_long"] }
        let lowered = password.lowercased()
        let local = String(EmailAddress.normalize(email).split(separator: "@").first ?? "")
        if common.contains(lowered) || lowered == email.lowercased() || Set(password).count < 4 {
            return ["error.password_common"]
        }
        if local.count >= 3, lowered.contains(local) { return ["error.password_contains_email"] }
        return []
    }

    /// bcrypt reads only the first 72 bytes of its input, so every password is first reduced
    /// to a SHA-256 digest (in base64): two passwords sharing 72 bytes stay different passwords.
    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    /// Hashes off the event loops: a bcrypt of cost 12 takes a noticeable fraction of a second.
    public static func hash(_ password: String) async throws -> String {
        let input = prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    public static func verify(_ password: String, against hash: String) async throws -> Bool {
        let input = prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: hash) }
    }

    /// A strong password to print once, for `commons user add` without `--password-stdin`.
    public static func generate() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let groups = (0..<5).map { _ in String((0..<5).map { _ in alphabet.randomElement(using: &generator)! }) }
        return groups.joined(separator: "-")
    }
}
