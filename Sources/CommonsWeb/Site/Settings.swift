import CommonsOrganizing
import CommonsStorage
import Foundation
import Logging

/// Everything the server is configured with, read once from the environment at start-up.
/// Nothing else in Commons reads environment variables.
public struct Settings: Sendable {
    public var hostname: String
    public var port: Int
    public var dataDirectory: String
    public var database: DatabaseLocation
    /// Absolute URLs (feeds, sitemap, canonical links) start with this; no trailing slash.
    public var baseURL: String
    /// Load CEJ's demo content into an empty database.
    public var loadDemoContent: Bool
    public var logLevel: Logger.Level
    /// `COMMONS_DATA_KEY`: base64 of 32 bytes; nil to use (or create) `keys/data.key` in the data directory.
    public var dataKey: String?
    /// Public form submissions allowed per client in ten minutes; 0 turns the limit off.
    public var formRateLimit: Int
    /// How long RSVPs and inactive supporters are kept.
    public var retention: RetentionPolicy
    /// `COMMONS_PAGE_CACHE_MB`: memory for rendered public pages; 0 turns the page cache off.
    public var pageCacheMegabytes: Int
    /// How often each server reads the content version to notice changes made elsewhere.
    public var contentCheckInterval: Duration
    /// Timeouts and the per-client connection cap (`COMMONS_MAX_CONNECTIONS_PER_CLIENT`).
    public var connectionLimits: ConnectionLimits
    /// `COMMONS_TIME_ZONE`: the coalition's own zone, for dates on pages, the times staff type and
    /// new events' default; `America/New_York` unless set.
    public var timeZone: TimeZone

    public init(
        hostname: String = "127.0.0.1",
        port: Int = 8080,
        dataDirectory: String = "./data",
        database: DatabaseLocation? = nil,
        baseURL: String? = nil,
        loadDemoContent: Bool = true,
        logLevel: Logger.Level = .info,
        dataKey: String? = nil,
        formRateLimit: Int = 10,
        retention: RetentionPolicy = RetentionPolicy(),
        pageCacheMegabytes: Int = 32,
        contentCheckInterval: Duration = .seconds(1),
        connectionLimits: ConnectionLimits = ConnectionLimits(),
        timeZone: TimeZone = Settings.defaultTimeZone
    ) {
        self.hostname = hostname
        self.port = port
        self.dataDirectory = dataDirectory
        self.database = database ?? .sqliteFile(inDataDirectory: dataDirectory)
        self.baseURL = baseURL ?? "http://\(hostname):\(port)"
        self.loadDemoContent = loadDemoContent
        self.logLevel = logLevel
        self.dataKey = dataKey
        self.formRateLimit = formRateLimit
        self.retention = retention
        self.pageCacheMegabytes = pageCacheMegabytes
        self.contentCheckInterval = contentCheckInterval
        self.connectionLimits = connectionLimits
        self.timeZone = timeZone
    }

    /// The zone of a new site: CEJ's, New York's.
    public static let defaultTimeZone = TimeZone(identifier: "America/New_York") ?? .gmt

    /// Reads `COMMONS_DATA_DIR`, `DATABASE_URL`, `HOST`, `PORT`, `COMMONS_BASE_URL`, `COMMONS_DEMO`,
    /// `COMMONS_DATA_KEY`, `COMMONS_FORM_RATE_LIMIT`, `COMMONS_RSVP_RETENTION_DAYS`, `COMMONS_SUPPORTER_RETENTION_MONTHS`,
    /// `COMMONS_PAGE_CACHE_MB`, `COMMONS_MAX_CONNECTIONS_PER_CLIENT`, `COMMONS_TIME_ZONE` and `LOG_LEVEL`; throws a `SettingsError` naming the variable for a value it cannot use.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        let hostname = value("HOST") ?? "127.0.0.1"
        var port = 8080
        if let raw = value("PORT") {
            guard let parsed = Int(raw), (1...65535).contains(parsed) else {
                throw SettingsError(variable: "PORT", value: raw, expected: "a port number from 1 to 65535")
            }
            port = parsed
        }
        let dataDirectory = value("COMMONS_DATA_DIR") ?? "./data"
        var database: DatabaseLocation?
        if let url = value("DATABASE_URL") {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw SettingsError(variable: "DATABASE_URL", value: "(hidden)", expected: "a postgres://user:password@host:port/database URL")
            }
            database = .postgres(url: url)
        }
        var baseURL: String?
        if let raw = value("COMMONS_BASE_URL") {
            guard let url = URL(string: raw), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw SettingsError(
                    variable: "COMMONS_BASE_URL",
                    value: raw,
                    expected: "an absolute http:// or https:// URL, such as https://www.nyccej.org"
                )
            }
            baseURL = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        }
        var loadDemoContent = true
        if let raw = value("COMMONS_DEMO") {
            switch raw.lowercased() {
            case "0", "false", "no", "off": loadDemoContent = false
            case "1", "true", "yes", "on": loadDemoContent = true
            default: throw SettingsError(variable: "COMMONS_DEMO", value: raw, expected: "0 or 1")
            }
        }
        var logLevel = Logger.Level.info
        if let raw = value("LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: raw.lowercased()) else {
                throw SettingsError(variable: "LOG_LEVEL", value: raw, expected: "one of trace, debug, info, notice, warning, error, critical")
            }
            logLevel = level
        }
        var formRateLimit = 10
        if let raw = value("COMMONS_FORM_RATE_LIMIT") {
            guard let limit = Int(raw), limit >= 0 else {
                throw SettingsError(
                    variable: "COMMONS_FORM_RATE_LIMIT",
                    value: raw,
                    expected: "a whole number of submissions per client per ten minutes, 0 for no limit"
                )
            }
            formRateLimit = limit
        }
        var retention = RetentionPolicy()
        if let raw = value("COMMONS_RSVP_RETENTION_DAYS") {
            guard let days = Int(raw), days >= 1 else {
                throw SettingsError(variable: "COMMONS_RSVP_RETENTION_DAYS", value: raw, expected: "a whole number of days, 1 or more")
            }
            retention.rsvpDays = days
        }
        if let raw = value("COMMONS_SUPPORTER_RETENTION_MONTHS") {
            guard let months = Int(raw), months >= 1 else {
                throw SettingsError(variable: "COMMONS_SUPPORTER_RETENTION_MONTHS", value: raw, expected: "a whole number of months, 1 or more")
            }
            retention.supporterMonths = months
        }
        var pageCacheMegabytes = 32
        if let raw = value("COMMONS_PAGE_CACHE_MB") {
            guard let megabytes = Int(raw), (0...4096).contains(megabytes) else {
                throw SettingsError(
                    variable: "COMMONS_PAGE_CACHE_MB",
                    value: raw,
                    expected: "a whole number of megabytes from 0 (no page cache) to 4096"
                )
            }
            pageCacheMegabytes = megabytes
        }
        var connectionLimits = ConnectionLimits()
        if let raw = value("COMMONS_MAX_CONNECTIONS_PER_CLIENT") {
            guard raw.count <= 6, let limit = Int(raw), (0...100_000).contains(limit) else {
                throw SettingsError(
                    variable: "COMMONS_MAX_CONNECTIONS_PER_CLIENT",
                    value: raw,
                    expected: "a whole number of connections from 0 (no limit) to 100000"
                )
            }
            connectionLimits.connectionsPerClient = limit
        }
        var timeZone = Settings.defaultTimeZone
        if let raw = value("COMMONS_TIME_ZONE") {
            guard raw.utf8.count <= 64, let zone = TimeZone(identifier: raw) else {
                throw SettingsError(
                    variable: "COMMONS_TIME_ZONE",
                    value: raw,
                    expected: "an IANA time zone such as America/New_York or America/Chicago"
                )
            }
            timeZone = zone
        }
        return Settings(
            hostname: hostname,
            port: port,
            dataDirectory: dataDirectory,
            database: database,
            baseURL: baseURL,
            loadDemoContent: loadDemoContent,
            logLevel: logLevel,
            dataKey: value("COMMONS_DATA_KEY"),
            formRateLimit: formRateLimit,
            retention: retention,
            pageCacheMegabytes: pageCacheMegabytes,
            connectionLimits: connectionLimits,
            timeZone: timeZone
        )
    }
}

/// An environment variable whose value cannot be used.
public struct SettingsError: Error, CustomStringConvertible {
    public let variable: String
    public let value: String
    public let expected: String

    public var description: String { "\(variable)=\(value) cannot be used: expected \(expected)." }
}
