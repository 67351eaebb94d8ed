import Foundation

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The date format HTTP and mail headers share (RFC 9110 §5.6.7, RFC 5322 §3.3):
/// `Sun, 06 Nov 1994 08:49:37` in UTC, then the zone as the header wants it (`GMT`, `+0000`).
/// Written by hand: a `DateFormatter` per header was a tenth of a mailing's queuing time.
public enum InternetDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func string(_ date: Date, zone: String) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) \(zone)"
    }
}
