import CommonsMail
import CommonsSMTP
import Foundation

/// `COMMONS_SMTP_URL`, `COMMONS_SMTP_CA_FILE`, `COMMONS_MAIL_FROM`, `COMMONS_MAIL_RATE` and
/// `COMMONS_MAIL_RETENTION_DAYS`. Without a relay, mail is queued and not sent.
public struct MailSettings: Sendable {
    public var server: SMTPServer?
    /// Required with a relay; without one, messages are written from `commons@` the site's host.
    public var sender: MailSender?
    /// Messages a second at most.
    public var rate: Int
    /// Days a sent message's body is kept.
    public var retentionDays: Int
    /// How often due reminders and scheduled mailings are looked for.
    public var schedulerInterval: Duration

    public init(
        server: SMTPServer? = nil,
        sender: MailSender? = nil,
        rate: Int = 20,
        retentionDays: Int = 30,
        schedulerInterval: Duration = .seconds(30)
    ) {
        self.server = server
        self.sender = sender
        self.rate = rate
        self.retentionDays = retentionDays
        self.schedulerInterval = schedulerInterval
    }

    static func fromEnvironment(_ value: (String) -> String?) throws -> MailSettings {
        var settings = MailSettings()
        if let raw = value("COMMONS_SMTP_URL") {
            do {
                settings.server = try SMTPServer(url: raw, trustedCertificatesFile: value("COMMONS_SMTP_CA_FILE"))
            } catch {
                throw SettingsError(
                    variable: "COMMONS_SMTP_URL",
                    value: "(hidden)",
                    expected: "smtp://[user:password@]host[:port] or smtps://…; it \(error)"
                )
            }
            if let file = value("COMMONS_SMTP_CA_FILE"), !FileManager.default.isReadableFile(atPath: file) {
                throw SettingsError(variable: "COMMONS_SMTP_CA_FILE", value: file, expected: "a readable PEM file of certificates")
            }
        }
        if let raw = value("COMMONS_MAIL_FROM") {
            guard let sender = MailSender(raw) else {
                throw SettingsError(variable: "COMMONS_MAIL_FROM", value: raw, expected: "an address such as CEJ <news@example.org>")
            }
            settings.sender = sender
        } else if settings.server != nil {
            throw SettingsError(
                variable: "COMMONS_MAIL_FROM",
                value: "(unset)",
                expected: "the From address, e.g. CEJ <news@example.org>, whenever COMMONS_SMTP_URL is set"
            )
        }
        if let raw = value("COMMONS_MAIL_RATE") {
            guard raw.count <= 5, let rate = Int(raw), (1...10_000).contains(rate) else {
                throw SettingsError(variable: "COMMONS_MAIL_RATE", value: raw, expected: "messages per second, from 1 to 10000")
            }
            settings.rate = rate
        }
        if let raw = value("COMMONS_MAIL_RETENTION_DAYS") {
            guard raw.count <= 5, let days = Int(raw), (1...3650).contains(days) else {
                throw SettingsError(variable: "COMMONS_MAIL_RETENTION_DAYS", value: raw, expected: "a whole number of days from 1 to 3650")
            }
            settings.retentionDays = days
        }
        return settings
    }

    /// The From address in use: the configured one, or `commons@HOST` for mail that is only queued.
    func sender(baseURL: String) -> MailSender {
        if let sender { return sender }
        let host = URLComponents(string: baseURL)?.host ?? "localhost"
        return MailSender("Commons <commons@\(host.contains(".") ? host : host + ".invalid")>") ?? MailSender("commons@localhost.invalid")!
    }
}
