import CommonsAccounts
import CommonsOrganizing
import CommonsStorage
import Foundation
import Logging

extension Settings {
    /// Reads `COMMONS_DATA_DIR`, `DATABASE_URL`, `HOST`, `PORT`, `COMMONS_BASE_URL`, `COMMONS_DEMO`,
    /// `COMMONS_DATA_KEY`, `COMMONS_FORM_RATE_LIMIT`, `COMMONS_API_RATE_LIMIT`, `COMMONS_WEBHOOK_ALLOW_LOCAL`, `COMMONS_REQUIRE_2FA`, `COMMONS_RSVP_RETENTION_DAYS`, `COMMONS_SUPPORTER_RETENTION_MONTHS`,
    /// `COMMONS_PAGE_CACHE_MB`, `COMMONS_MAX_CONNECTIONS_PER_CLIENT`, `COMMONS_TIME_ZONE`, `COMMONS_TRUSTED_PROXIES`,
    /// `COMMONS_BACKUP_DIR`, `COMMONS_BACKUP_KEEP`, `LOG_LEVEL` and `LOG_FORMAT`; throws a `SettingsError` naming the variable for a value it cannot use.
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
        let apiRateLimit =
            try value("COMMONS_API_RATE_LIMIT").map { raw in
                guard raw.utf8.count <= 9, let limit = Int(raw), limit >= 0 else {
                    throw SettingsError(variable: "COMMONS_API_RATE_LIMIT", value: raw, expected: "API requests per token per minute, 0 for no limit")
                }
                return limit
            } ?? 600
        let webhookAllowLocal = value("COMMONS_WEBHOOK_ALLOW_LOCAL") == "1"
        let requireTwoFactor = try value("COMMONS_REQUIRE_2FA").map(Self.roles) ?? [.admin, .organizer]
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
        var trustedProxies = TrustedProxies.none
        if let raw = value("COMMONS_TRUSTED_PROXIES") {
            guard raw.utf8.count <= 4096, let proxies = TrustedProxies(raw) else {
                throw SettingsError(
                    variable: "COMMONS_TRUSTED_PROXIES",
                    value: raw,
                    expected: "comma-separated addresses or CIDR ranges of your reverse proxies, such as 127.0.0.1, 10.0.0.0/8, ::1"
                )
            }
            trustedProxies = proxies
        }
        var logFormat = LogFormat.text
        if let raw = value("LOG_FORMAT") {
            guard let format = LogFormat(rawValue: raw.lowercased()) else {
                throw SettingsError(variable: "LOG_FORMAT", value: raw, expected: "text or json")
            }
            logFormat = format
        }
        var backupsKept = 7
        if let raw = value("COMMONS_BACKUP_KEEP") {
            guard raw.count <= 4, let keep = Int(raw), (1...1000).contains(keep) else {
                throw SettingsError(variable: "COMMONS_BACKUP_KEEP", value: raw, expected: "a whole number of backups from 1 to 1000")
            }
            backupsKept = keep
        }
        var metricsPort: Int?
        if let raw = value("COMMONS_METRICS_PORT") {
            guard raw.count <= 5, let parsed = Int(raw), (1...65535).contains(parsed) else {
                throw SettingsError(variable: "COMMONS_METRICS_PORT", value: raw, expected: "a port number from 1 to 65535")
            }
            metricsPort = parsed
        }
        let metricsToken = value("COMMONS_METRICS_TOKEN")
        if let token = metricsToken, token.utf8.count < 24 || token.utf8.count > 512 || token.contains(" ") {
            throw SettingsError(
                variable: "COMMONS_METRICS_TOKEN",
                value: "(hidden)",
                expected: "a random token of 24 to 512 characters without spaces, such as the output of openssl rand -hex 32"
            )
        }
        let tlsCertificate = value("COMMONS_TLS_CERT")
        let tlsKey = value("COMMONS_TLS_KEY")
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw SettingsError(
                variable: tlsCertificate == nil ? "COMMONS_TLS_CERT" : "COMMONS_TLS_KEY",
                value: "(unset)",
                expected: "both COMMONS_TLS_CERT and COMMONS_TLS_KEY (PEM files), or neither"
            )
        }
        var httpRedirectPort: Int?
        if let raw = value("COMMONS_HTTP_REDIRECT_PORT") {
            guard raw.count <= 5, let parsed = Int(raw), (1...65535).contains(parsed), tlsCertificate != nil else {
                throw SettingsError(
                    variable: "COMMONS_HTTP_REDIRECT_PORT",
                    value: raw,
                    expected: "a port number from 1 to 65535, with COMMONS_TLS_CERT and COMMONS_TLS_KEY set"
                )
            }
            httpRedirectPort = parsed
        }
        if tlsCertificate != nil, baseURL == nil {
            baseURL = "https://\(hostname):\(port)"
        }
        var settings = Settings(
            hostname: hostname,
            port: port,
            dataDirectory: dataDirectory,
            database: database,
            baseURL: baseURL,
            loadDemoContent: loadDemoContent,
            logLevel: logLevel,
            dataKey: value("COMMONS_DATA_KEY"),
            formRateLimit: formRateLimit,
            apiRateLimit: apiRateLimit,
            retention: retention,
            pageCacheMegabytes: pageCacheMegabytes,
            connectionLimits: connectionLimits,
            timeZone: timeZone,
            trustedProxies: trustedProxies,
            logFormat: logFormat,
            backupDirectory: value("COMMONS_BACKUP_DIR"),
            backupsKept: backupsKept,
            metricsPort: metricsPort,
            metricsHost: value("COMMONS_METRICS_HOST") ?? "127.0.0.1",
            metricsToken: metricsToken,
            tlsCertificate: tlsCertificate,
            tlsKey: tlsKey,
            httpRedirectPort: httpRedirectPort,
            mail: try MailSettings.fromEnvironment(value)
        )
        settings.webhookAllowLocal = webhookAllowLocal
        settings.requireTwoFactor = requireTwoFactor
        return settings
    }
}
