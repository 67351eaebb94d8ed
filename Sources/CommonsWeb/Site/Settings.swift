import CommonsAccounts
import CommonsMail
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
    /// `COMMONS_API_RATE_LIMIT`: API requests allowed per token per minute; 0 turns the limit off.
    public var apiRateLimit: Int
    /// `COMMONS_WEBHOOK_ALLOW_LOCAL=1`: webhooks may be sent over plain HTTP to the loopback (tests only).
    public var webhookAllowLocal: Bool = false
    /// `COMMONS_REQUIRE_2FA`: the roles that must sign in with two-factor (admins and organizers
    /// unless set; `none` for no role).
    public var requireTwoFactor: Set<Role> = [.admin, .organizer]
    /// How often the webhook service looks for changes and due deliveries.
    public var webhookInterval: Duration = .seconds(2)
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
    /// `COMMONS_TRUSTED_PROXIES`: the reverse proxies whose `X-Forwarded-For` and
    /// `X-Forwarded-Proto` are believed; none unless set.
    public var trustedProxies: TrustedProxies
    /// `LOG_FORMAT`: `text` (the default) or `json`, one object per line for log shippers.
    public var logFormat: LogFormat
    /// `COMMONS_BACKUP_DIR`: where the server writes a daily backup; nil for none.
    public var backupDirectory: String?
    /// `COMMONS_BACKUP_KEEP`: how many daily backups stay (7 unless set).
    public var backupsKept: Int
    /// `COMMONS_METRICS_PORT`: a listener serving only `/metrics`; nil for none.
    public var metricsPort: Int?
    /// `COMMONS_METRICS_HOST`: where that listener binds (loopback unless set).
    public var metricsHost: String
    /// `COMMONS_TLS_CERT` and `COMMONS_TLS_KEY`: PEM files that make `serve` speak HTTPS itself.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// `COMMONS_HTTP_REDIRECT_PORT`: with TLS, a plain-HTTP port that only redirects to https.
    public var httpRedirectPort: Int?
    /// `COMMONS_METRICS_TOKEN`: the bearer token that opens `/metrics` on the public port; nil keeps it closed (404).
    public var metricsToken: String?
    /// Email: the relay, the From address, the sending rate (see `MailSettings`).
    public var mail: MailSettings

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
        apiRateLimit: Int = 600,
        retention: RetentionPolicy = RetentionPolicy(),
        pageCacheMegabytes: Int = 32,
        contentCheckInterval: Duration = .seconds(1),
        connectionLimits: ConnectionLimits = ConnectionLimits(),
        timeZone: TimeZone = Settings.defaultTimeZone,
        trustedProxies: TrustedProxies = .none,
        logFormat: LogFormat = .text,
        backupDirectory: String? = nil,
        backupsKept: Int = 7,
        metricsPort: Int? = nil,
        metricsHost: String = "127.0.0.1",
        metricsToken: String? = nil,
        tlsCertificate: String? = nil,
        tlsKey: String? = nil,
        httpRedirectPort: Int? = nil,
        mail: MailSettings = MailSettings()
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
        self.apiRateLimit = apiRateLimit
        self.retention = retention
        self.pageCacheMegabytes = pageCacheMegabytes
        self.contentCheckInterval = contentCheckInterval
        self.connectionLimits = connectionLimits
        self.timeZone = timeZone
        self.trustedProxies = trustedProxies
        self.logFormat = logFormat
        self.backupDirectory = backupDirectory
        self.backupsKept = backupsKept
        self.metricsPort = metricsPort
        self.metricsHost = metricsHost
        self.metricsToken = metricsToken
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.httpRedirectPort = httpRedirectPort
        self.mail = mail
    }

    /// Whether the public address is https: cookies are `Secure` and HSTS is sent.
    public var isHTTPS: Bool { baseURL.hasPrefix("https://") || tlsCertificate != nil }

    /// The zone of a new site: CEJ's, New York's.
    public static let defaultTimeZone = TimeZone(identifier: "America/New_York") ?? .gmt
}

/// How log lines are written.
public enum LogFormat: String, Sendable {
    case text, json
}

/// An environment variable whose value cannot be used.
public struct SettingsError: Error, CustomStringConvertible {
    public let variable: String
    public let value: String
    public let expected: String

    public var description: String { "\(variable)=\(value) cannot be used: expected \(expected)." }
}
