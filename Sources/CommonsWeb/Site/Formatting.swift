import CommonsCharts
import CommonsCore
import Foundation

/// Dates and sizes as a reader of a given language expects them.
struct Formatting: Sendable {
    let language: Language
    let strings: StringCatalog
    /// The coalition's zone (`COMMONS_TIME_ZONE`): dates are its dates.
    let timeZone: TimeZone

    /// "December 8, 2016".
    func date(_ date: Date) -> String {
        var style = Date.FormatStyle(date: .long, time: .omitted, locale: Locale(identifier: language.localeIdentifier), timeZone: timeZone)
        style.calendar = Calendar(identifier: .gregorian)
        return date.formatted(style)
    }

    /// "December 8, 2016 at 12:00 PM", in the coalition's zone: when something last happened.
    func dateTime(_ date: Date) -> String {
        var style = Date.FormatStyle(date: .long, time: .shortened, locale: Locale(identifier: language.localeIdentifier), timeZone: timeZone)
        style.calendar = Calendar(identifier: .gregorian)
        return date.formatted(style)
    }

    /// "2016-12-08", for `<time datetime>`.
    func machineDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// "Thursday, December 8, 2016, 12:00 – 1:00 PM EST", in the event's own zone.
    func eventTime(start: Date, end: Date, timeZone identifier: String) -> String {
        let zone = TimeZone(identifier: identifier) ?? timeZone
        let locale = Locale(identifier: language.localeIdentifier)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var day = Date.FormatStyle(date: .complete, time: .omitted, locale: locale, calendar: calendar, timeZone: zone)
        day.calendar = calendar
        let time = Date.FormatStyle(date: .omitted, time: .shortened, locale: locale, calendar: calendar, timeZone: zone)
        // Linux's zone data names New York's zone "GMT-5"; readers there know it as EST and EDT.
        let zoneName =
            identifier == "America/New_York" ? (zone.isDaylightSavingTime(for: start) ? "EDT" : "EST") : (zone.abbreviation(for: start) ?? identifier)
        if calendar.isDate(start, inSameDayAs: end) {
            return "\(start.formatted(day)), \(start.formatted(time)) – \(end.formatted(time)) \(zoneName)"
        }
        return "\(start.formatted(day)), \(start.formatted(time)) – \(end.formatted(day)), \(end.formatted(time)) \(zoneName)"
    }

    /// An event's day as a calendar leaf shows it ("Dec", "12"), in the event's own zone.
    func dateBadge(_ date: Date, timeZone identifier: String) -> (month: String, day: String) {
        let zone = TimeZone(identifier: identifier) ?? timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let locale = Locale(identifier: language.localeIdentifier)
        let month = date.formatted(Date.FormatStyle(locale: locale, calendar: calendar, timeZone: zone).month(.abbreviated))
        let day = date.formatted(Date.FormatStyle(locale: locale, calendar: calendar, timeZone: zone).day())
        return (month, day)
    }

    /// "12 KB", "1.4 MB".
    func size(_ bytes: Int) -> String {
        let locale = Locale(identifier: language.localeIdentifier)
        if bytes < 1024 { return strings.format("size.bytes", ["count": bytes.formatted(.number.locale(locale))]) }
        if bytes < 1024 * 1024 {
            return strings.format("size.kb", ["count": (bytes / 1024).formatted(.number.locale(locale))])
        }
        let megabytes = Double(bytes) / 1_048_576
        return strings.format("size.mb", ["count": megabytes.formatted(.number.precision(.fractionLength(1)).locale(locale))])
    }
}

extension Formatting {
    /// A figure of a dataset as the reader writes numbers: "12,500", "12.500", "80%", "80 %".
    func figure(_ value: Double, _ kind: ColumnKind) -> String {
        let locale = Locale(identifier: language.localeIdentifier)
        switch kind {
        case .percent: return (value / 100).formatted(.percent.precision(.fractionLength(0...2)).locale(locale))
        case .number, .text: return value.formatted(.number.precision(.fractionLength(0...2)).locale(locale))
        }
    }

    /// A dataset's "YYYY-MM-DD" as a date the reader reads ("June 30, 2024"); nil when empty.
    func day(_ text: String) -> (iso: String, text: String)? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12)) else { return nil }
        return (text, self.date(date))
    }
}
