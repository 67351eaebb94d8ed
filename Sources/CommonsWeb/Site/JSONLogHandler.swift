import Foundation
import Logging
import Synchronization

/// `LOG_FORMAT=json`: one JSON object per line, for log shippers: `time`, `level`, `message`,
/// and the line's metadata as fields (`request_id`, `route`, `status`, `duration_ms` on request
/// lines). What is logged is the same as in text: never a query string, a form value, a cookie,
/// an address or a name.
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String
    let write: @Sendable (String) -> Void

    /// Writes to standard error, a whole line at a time.
    static func standardError(label: String) -> JSONLogHandler {
        JSONLogHandler(label: label) { line in
            errorLock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
        }
    }

    private static let errorLock = Mutex(())

    init(label: String, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: Any] = [
            "time": Self.timestamp(Date()),
            "level": event.level.rawValue,
            "message": event.message.description,
            "logger": label,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
            fields[key == "hb.request.id" ? "request_id" : key] = Self.plain(value)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let item):
            if let number = item as? Int { number } else if let number = item as? Double { number } else { item.description }
        case .array(let items): items.map(plain)
        case .dictionary(let entries): entries.mapValues(plain)
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
