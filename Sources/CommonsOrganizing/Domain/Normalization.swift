import CommonsCore
import Foundation

/// How values people type are cleaned before they are compared or stored.
public enum Normalization {
    /// Trimmed and lowercased: `  Maria@Example.org ` and `maria@example.org` are one person.
    public static func email(_ raw: String) -> String { EmailAddress.normalize(raw) }

    /// See `EmailAddress.isValid`: staff accounts are checked by the same rule.
    public static func isValidEmail(_ email: String) -> Bool { EmailAddress.isValid(email) }

    /// E.164 (`+12125550123`): ten digits are a US number, eleven starting with 1 too; a
    /// leading `+` keeps its country code. Nil when it cannot be a phone number.
    public static func phone(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.allSatisfy({ $0.isNumber || " ()-.+".contains($0) }) else { return nil }
        let digits = trimmed.filter(\.isNumber).compactMap(\.wholeNumberValue).map(String.init).joined()
        if trimmed.hasPrefix("+") {
            guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
            if digits.hasPrefix("1") && digits.count != 11 { return nil }
            return "+" + digits
        }
        if digits.count == 10, !digits.hasPrefix("0"), !digits.hasPrefix("1") { return "+1" + digits }
        if digits.count == 11, digits.hasPrefix("1") { return "+" + digits }
        return nil
    }

    /// A US ZIP code or ZIP+4.
    public static func postalCode(_ raw: String) -> String? {
        let code = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // Five digits, or ZIP+4: five digits, a hyphen, four digits.
        let bytes = Array(code.utf8)
        let digits = { (range: Range<Int>) in bytes[range].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
        switch bytes.count {
        case 5: return digits(0..<5) ? code : nil
        case 10: return digits(0..<5) && bytes[5] == UInt8(ascii: "-") && digits(6..<10) ? code : nil
        default: return nil
        }
    }

    /// Text from a form: see `PlainText.line`.
    public static func text(_ raw: String) -> String { PlainText.line(raw) }
}
