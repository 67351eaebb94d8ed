import CommonsCore
import Foundation

/// Supporters as a CSV file for phone banks and mail merges: RFC 4180, UTF-8 with a byte-order
/// mark so Excel reads it right, and every cell that a spreadsheet would take for a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) neutralized with a leading `'`.
public enum SupporterCSV {
    public static let byteOrderMark = "\u{FEFF}"

    public static let header = [
        "given_name", "family_name", "email", "phone", "postal_code", "preferred_language", "role", "school", "email_opt_in", "sms_opt_in", "tags",
        "last_action_at",
    ]

    public static func headerLine() -> String { byteOrderMark + line(header) }

    public static func line(for record: SupporterRecord) -> String {
        let person = record.person
        return line([
            person.givenName ?? "", person.familyName ?? "", person.email ?? "", person.phone ?? "", person.postalCode ?? "",
            person.preferredLanguage ?? "", person.role ?? "", person.school ?? "", record.supporter.emailOptIn ? "yes" : "no",
            record.supporter.smsOptIn ? "yes" : "no", record.tags.joined(separator: ";"), InternetDate.iso8601(record.supporter.lastActionAt),
        ])
    }

    /// One record, fields quoted where needed, ending in CRLF (see `CSVLine`).
    public static func line(_ fields: [String]) -> String { CSVLine.line(fields) }
}
