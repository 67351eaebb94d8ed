import CommonsOrganizing
import Foundation

/// An event as an RFC 5545 calendar file, in the event's time zone.
enum EventCalendar {
    static func ics(for event: Event, url: String, now: Date) -> String {
        let zone = event.timeZone
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Commons//Events//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ]
        let useZone = zone == "America/New_York"
        if useZone { lines += newYorkTimeZone }
        lines += [
            "BEGIN:VEVENT",
            "UID:\(event.id?.uuidString.lowercased() ?? event.slug)@commons",
            "DTSTAMP:\(utc(now))",
            useZone ? "DTSTART;TZID=\(zone):\(local(event.startsAt, zone: zone))" : "DTSTART:\(utc(event.startsAt))",
            useZone ? "DTEND;TZID=\(zone):\(local(event.endsAt, zone: zone))" : "DTEND:\(utc(event.endsAt))",
            "SUMMARY:\(escape(event.title))",
            "DESCRIPTION:\(escape(event.description))",
            "LOCATION:\(escape([event.venue, event.address].filter { !$0.isEmpty }.joined(separator: ", ")))",
            "URL:\(url)",
            "STATUS:\(event.status == .cancelled ? "CANCELLED" : "CONFIRMED")",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// New York's rules since 2007: daylight time from the second Sunday of March to the first Sunday of November.
    static let newYorkTimeZone = [
        "BEGIN:VTIMEZONE",
        "TZID:America/New_York",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0400",
        "TZNAME:EDT",
        "DTSTART:20070311T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:-0400",
        "TZOFFSETTO:-0500",
        "TZNAME:EST",
        "DTSTART:20071104T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]

    static func utc(_ date: Date) -> String { format(date, zone: TimeZone(identifier: "UTC")!) + "Z" }

    static func local(_ date: Date, zone: String) -> String { format(date, zone: TimeZone(identifier: zone)!) }

    static func format(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02d", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!)
    }

    /// TEXT values escape backslash, semicolon, comma and newlines.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;").replacingOccurrences(of: ",", with: "\\,")
            .replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Lines longer than 75 octets continue on the next line after a space, never inside a character.
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += size
        }
        return result
    }
}
