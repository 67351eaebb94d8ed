import Foundation

/// OSDI's `filter` query parameter, as far as Commons answers it:
/// `modified_date gt '2026-01-01T00:00:00Z'`, `modified_date lt '…'` and
/// `email_address eq 'a@example.org'`, joined by `and`. Anything else is refused with the reason,
/// never guessed at. Linear in the input and bounded: the input is at most 500 bytes.
struct OSDIFilter: Equatable {
    var modifiedAfter: Date?
    var modifiedBefore: Date?
    var emailAddress: String?

    static let maximumLength = 500

    enum Problem: Error, Equatable {
        case tooLong
        /// A clause that is not `field op 'value'`.
        case malformed(String)
        /// A field or operator Commons does not filter on.
        case unsupported(String)
        /// A date that is not ISO 8601, or outside the years 1970–9999.
        case badDate(String)
    }

    /// Parses the parameter; an empty one filters nothing.
    static func parse(_ text: String) throws(Problem) -> OSDIFilter {
        guard text.utf8.count <= maximumLength else { throw .tooLong }
        var filter = OSDIFilter()
        var rest = Substring(text)
        while true {
            rest = rest.drop(while: \.isWhitespace)
            if rest.isEmpty { break }
            let field = rest.prefix(while: { !$0.isWhitespace })
            rest = rest.dropFirst(field.count).drop(while: \.isWhitespace)
            let op = rest.prefix(while: { !$0.isWhitespace })
            rest = rest.dropFirst(op.count).drop(while: \.isWhitespace)
            guard rest.first == "'" else { throw .malformed(String(field)) }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: "'") else { throw .malformed(String(field)) }
            let value = String(rest[..<close])
            rest = rest[rest.index(after: close)...].drop(while: \.isWhitespace)
            switch (field, op) {
            case ("modified_date", "gt"): filter.modifiedAfter = try date(value)
            case ("modified_date", "lt"): filter.modifiedBefore = try date(value)
            case ("email_address", "eq"):
                guard !value.isEmpty, value.utf8.count <= 254 else { throw .malformed(String(field)) }
                filter.emailAddress = value
            default: throw .unsupported("\(field) \(op)")
            }
            if rest.isEmpty { break }
            let joiner = rest.prefix(while: { !$0.isWhitespace })
            guard joiner.lowercased() == "and" else { throw .malformed(String(joiner)) }
            rest = rest.dropFirst(joiner.count)
            guard rest.first?.isWhitespace == true else { throw .malformed(String(joiner)) }
        }
        return filter
    }

    /// An ISO 8601 instant (`2026-12-01T10:00:00Z`, with or without fractions or an offset) or a
    /// day (`2026-12-01`, midnight UTC), in the years 1970 through 9999.
    static func date(_ text: String) throws(Problem) -> Date {
        let digits = text.utf8.prefix(while: { (0x30...0x39).contains($0) }).count
        guard digits == 4, text.utf8.count <= 35 else { throw .badDate(text) }
        let full = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        guard let date = full.date(from: text) ?? fractional.date(from: text) ?? (text.utf8.count == 10 ? day.date(from: text) : nil),
            date.timeIntervalSince1970 >= 0, date.timeIntervalSince1970 < 253_402_300_800
        else { throw .badDate(text) }
        return date
    }
}
