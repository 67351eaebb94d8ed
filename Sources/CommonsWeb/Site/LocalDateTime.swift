import Foundation

/// Dates as staff type them into `datetime-local` fields, in the coalition's time zone (or an
/// event's own). Parsing is strict, so a year like 99999 is refused, never stored.
enum LocalDateTime {
    /// A date as a datetime-local field shows it in `zone`: `2026-12-01T18:30`.
    static func format(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", p.year!, p.month!, p.day!, p.hour!, p.minute!)
    }

    /// `2026-12-01T18:30` as a datetime-local field sends it, read in `zone`: exactly
    /// that shape, years 1900 to 9999, a real day and time; nil for anything else.
    static func parse(_ raw: String, in zone: TimeZone) -> Date? {
        let bytes = Array(raw.utf8)
        guard bytes.count == 16, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), (1900...9999).contains(year), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
