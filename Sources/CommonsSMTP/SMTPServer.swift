import Foundation

/// Where mail goes: `COMMONS_SMTP_URL` read into its parts.
///
/// `smtp://[user:password@]host[:port]` talks plain SMTP (port 25 by default) and switches to TLS
/// with STARTTLS when the server offers it; with credentials, STARTTLS is required, so a password
/// never crosses the network in the clear. `smtps://…` speaks TLS from the first byte (port 465).
public struct SMTPServer: Sendable, Equatable, CustomStringConvertible {
    public enum Security: Sendable, Equatable {
        /// STARTTLS when offered (required when `credentials` are set).
        case startTLSWhenOffered
        /// TLS from the first byte.
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// A PEM file of certificates to trust instead of the system's (a private relay).
    public var trustedCertificatesFile: String?

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil, trustedCertificatesFile: String? = nil)
    {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedCertificatesFile = trustedCertificatesFile
    }

    /// The server without its password, for logs and messages.
    public var description: String {
        "\(security == .implicitTLS ? "smtps" : "smtp")://\(username.map { $0 + ":…@" } ?? "")\(host):\(port)"
    }

    /// Reads `smtp://…` or `smtps://…`; the error says what is wrong, never the password.
    public init(url text: String, trustedCertificatesFile: String? = nil) throws(SMTPError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .configuration("is not a URL like smtp://host:587")
        }
        switch scheme {
        case "smtp": security = .startTLSWhenOffered
        case "smtps": security = .implicitTLS
        default: throw .configuration("must start with smtp:// or smtps://")
        }
        guard let host = components.host, !host.isEmpty else { throw .configuration("names no host") }
        self.host = host
        if let port = components.port {
            guard (1...65535).contains(port) else { throw .configuration("has a port outside 1-65535") }
            self.port = port
        } else {
            self.port = security == .implicitTLS ? 465 : 25
        }
        username = components.user.map { $0.removingPercentEncoding ?? $0 }
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        if (username == nil) != (password == nil) { throw .configuration("has a user without a password, or a password without a user") }
        self.trustedCertificatesFile = trustedCertificatesFile
    }

    var credentials: (username: String, password: String)? {
        guard let username, let password else { return nil }
        return (username, password)
    }
}
