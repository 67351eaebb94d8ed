/// Why a message was not handed over. Texts name the server's code and words, never the message
/// or its recipient: they end up in logs and on staff screens.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `COMMONS_SMTP_URL` or the CA file cannot be used.
    case configuration(String)
    /// The server could not be reached, the connection dropped, or TLS failed.
    case connection(String)
    /// The server did not answer in time.
    case timeout(String)
    /// A 4xx answer: try again later.
    case temporary(SMTPReply)
    /// A 5xx answer: this will never work as it is.
    case permanent(SMTPReply)
    /// A 5xx answer to `RCPT TO`: the address does not take mail; suppress it.
    case recipientRefused(SMTPReply)
    /// The server lacks something this message or these settings need (STARTTLS, AUTH, SMTPUTF8).
    case unsupported(String)
    /// An address with characters SMTP cannot carry (a line break, `<`, `>`); nothing was sent.
    case invalidAddress

    /// Worth trying again later.
    public var isTemporary: Bool {
        switch self {
        case .connection, .timeout, .temporary: true
        case .configuration, .permanent, .recipientRefused, .unsupported, .invalidAddress: false
        }
    }

    public var description: String {
        switch self {
        case .configuration(let why): "COMMONS_SMTP_URL \(why)"
        case .connection(let why): "could not talk to the mail server: \(why)"
        case .timeout(let step): "the mail server did not answer in time (\(step))"
        case .temporary(let reply): "the mail server said to try later: \(reply.summary)"
        case .permanent(let reply): "the mail server refused: \(reply.summary)"
        case .recipientRefused(let reply): "the mail server refused the recipient: \(reply.summary)"
        case .unsupported(let what): "the mail server does not offer \(what)"
        case .invalidAddress: "the address cannot be written in SMTP"
        }
    }
}
