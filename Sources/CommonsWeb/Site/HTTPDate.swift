import CommonsCore
import Foundation

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The one date format HTTP headers use (RFC 9110 5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`.
enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func string(_ date: Date) -> String { InternetDate.string(date, zone: "GMT") }

    /// The date in an IMF-fixdate header, or nil for anything else: every field has its fixed
    /// width and range (years 1900-9999), so no value from a request reaches an Int32 conversion
    /// or `timegm` out of range.
    static func parse(_ text: String) -> Date? {
        let fields = text[...].utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0].count == 4, fields[0].last == UInt8(ascii: ","), String(decoding: fields[5], as: UTF8.self) == "GMT",
            let day = number(fields[1], digits: 2, in: 1...31),
            let month = months.firstIndex(of: String(decoding: fields[2], as: UTF8.self)),
            let year = number(fields[3], digits: 4, in: 1900...9999)
        else { return nil }
        let time = fields[4].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard time.count == 3, let hour = number(time[0], digits: 2, in: 0...23), let minute = number(time[1], digits: 2, in: 0...59),
            let second = number(time[2], digits: 2, in: 0...60)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// Exactly `digits` ASCII digits whose value lies in `range`.
    private static func number(_ bytes: Substring.UTF8View, digits: Int, in range: ClosedRange<Int>) -> Int? {
        guard bytes.count == digits else { return nil }
        var value = 0
        for byte in bytes {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return range.contains(value) ? value : nil
    }
}
