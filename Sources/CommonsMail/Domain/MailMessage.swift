import CommonsCore
import Foundation

/// A sender as `COMMONS_MAIL_FROM` names it: `CEJ <news@example.org>` or a bare address.
public struct MailSender: Sendable, Equatable {
    public let name: String?
    public let address: String

    /// Nil when the text is not one address (optionally with a name before it in `<>`).
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else { return nil }
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            self.name = name.isEmpty ? nil : name
            self.address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        } else {
            self.name = nil
            self.address = trimmed
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !address.contains(where: { $0 == " " || $0 == "<" || $0 == ">" }) else {
            return nil
        }
    }

    /// The domain of the address, which names the site in every `Message-ID`.
    public var domain: String { String(address.split(separator: "@").last ?? "localhost") }

    var header: String {
        guard let name else { return address }
        return MailMessage.encodedWords(name, quotedIfPlain: true) + " <\(address)>"
    }
}

/// A file sent with a message, such as an event's `.ics`.
public struct MailAttachment: Sendable {
    public var filename: String
    /// With its parameters, e.g. `text/calendar; charset=utf-8; method=PUBLISH`.
    public var contentType: String
    public var data: Data

    public init(filename: String, contentType: String, data: Data) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// One email as Commons writes it: plain text and HTML from the same Markdown
/// (`multipart/alternative`), UTF-8 throughout, the reader's language and direction, optional
/// attachments. No tracking of any kind: no images, no rewritten links.
public struct MailMessage: Sendable {
    public var to: String
    public var subject: String
    public var text: String
    /// The body's HTML (the Markdown rendered by our own renderer); wrapped here in a document
    /// with the reader's `lang` and `dir`.
    public var html: String
    /// BCP 47 tag of the language it is written in.
    public var language: String
    public var isRightToLeft: Bool
    public var attachments: [MailAttachment]
    /// Further headers such as `List-Unsubscribe`; line breaks are removed from the values.
    public var headers: [(name: String, value: String)]

    public init(
        to: String,
        subject: String,
        text: String,
        html: String,
        language: String,
        isRightToLeft: Bool = false,
        attachments: [MailAttachment] = [],
        headers: [(name: String, value: String)] = []
    ) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.language = language
        self.isRightToLeft = isRightToLeft
        self.attachments = attachments
        self.headers = headers
    }

    /// The message as RFC 5322 text with CRLF line ends. `messageID` is stable per outbox row,
    /// so a message sent twice after a crash is the same message to the mail systems.
    public func rendered(from sender: MailSender, messageID: String, date: Date) -> [UInt8] {
        let boundary = "=_commons_" + messageID.filter { $0.isLetter || $0.isNumber }.prefix(32)
        var lines: [String] = [
            "From: " + sender.header,
            "To: " + Self.oneLine(to),
            "Subject: " + Self.encodedWords(subject),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: <\(messageID)@\(sender.domain)>",
            "Content-Language: " + Self.oneLine(language),
            "MIME-Version: 1.0",
            "Auto-Submitted: " + (headers.contains { $0.name == "List-Unsubscribe" } ? "no" : "auto-generated"),
        ]
        for header in headers { lines.append("\(header.name): " + Self.oneLine(header.value)) }
        let direction = isRightToLeft ? "rtl" : "ltr"
        let document = """
            <!DOCTYPE html>
            <html lang="\(XMLText.escape(language))" dir="\(direction)">
            <head><meta charset="utf-8"><title>\(XMLText.escape(subject))</title></head>
            <body dir="\(direction)" style="font-family:system-ui,sans-serif;line-height:1.5;max-width:40em">
            \(html)
            </body>
            </html>
            """
        let alternative = [
            Self.part(contentType: "text/plain; charset=utf-8", encoding: "quoted-printable", body: Self.quotedPrintable(text)),
            Self.part(contentType: "text/html; charset=utf-8", encoding: "quoted-printable", body: Self.quotedPrintable(document)),
        ]
        if attachments.isEmpty {
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)a\"")
            lines.append("")
            lines.append(Self.multipart(alternative, boundary: boundary + "a"))
        } else {
            lines.append("Content-Type: multipart/mixed; boundary=\"\(boundary)m\"")
            lines.append("")
            var parts = [
                "Content-Type: multipart/alternative; boundary=\"\(boundary)a\"\r\n\r\n" + Self.multipart(alternative, boundary: boundary + "a")
            ]
            for attachment in attachments {
                let name = Self.oneLine(attachment.filename).replacingOccurrences(of: "\"", with: "")
                parts.append(
                    "Content-Type: \(Self.oneLine(attachment.contentType)); name=\"\(name)\"\r\n"
                        + "Content-Disposition: attachment; filename=\"\(name)\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n"
                        + attachment.data.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
                )
            }
            lines.append(Self.multipart(parts, boundary: boundary + "m"))
        }
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    // MARK: - Encodings

    static func part(contentType: String, encoding: String, body: String) -> String {
        "Content-Type: \(contentType)\r\nContent-Transfer-Encoding: \(encoding)\r\n\r\n" + body
    }

    static func multipart(_ parts: [String], boundary: String) -> String {
        parts.map { "--\(boundary)\r\n\($0)\r\n" }.joined() + "--\(boundary)--\r\n"
    }

    /// A header value on one line: a value never starts a header of its own.
    static func oneLine(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : $0 }))
    }

    /// RFC 2047: plain when it is short printable ASCII; otherwise `=?UTF-8?B?…?=` words of at
    /// most 75 characters, folded, never splitting a character between two words.
    static func encodedWords(_ value: String, quotedIfPlain: Bool = false) -> String {
        let value = oneLine(value)
        let plain = value.allSatisfy { $0.isASCII && !($0.asciiValue! < 32) } && !value.contains("=?") && value.utf8.count <= 60
        if plain {
            guard quotedIfPlain, value.contains(where: { "()<>[]:;@\\,.\"".contains($0) }) else { return value }
            return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var words: [String] = []
        var chunk = Data()
        for character in value {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 39 {
                words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045 §6.7) of UTF-8 text: lines of at most 76 characters, CRLF.
    /// Quoted-printable (RFC 2045 §6.7) over the UTF-8 bytes, CRLF line ends, soft breaks before
    /// 76 columns, a dot at the start of a line encoded. Byte by byte, without Foundation: a
    /// mailing renders this for every copy.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        var width = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 13 || byte == 10 {
                // CRLF, CR or LF: one line end.
                if byte == 13, index + 1 < bytes.count, bytes[index + 1] == 10 { index += 1 }
                out.append(13)
                out.append(10)
                width = 0
                index += 1
                continue
            }
            let next = index + 1 < bytes.count ? bytes[index + 1] : 10
            let isLineEnd = next == 10 || next == 13
            let plain: Bool
            if byte == 32 || byte == 9 {
                plain = !isLineEnd
            } else {
                plain = byte >= 33 && byte <= 126 && byte != 61 && !(byte == 46 && width == 0)
            }
            let length = plain ? 1 : 3
            if width + length > 75 {
                out.append(61)
                out.append(13)
                out.append(10)
                width = 0
            }
            if plain && !(byte == 46 && width == 0) {
                out.append(byte)
            } else {
                out.append(61)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            }
            width += plain && !(byte == 46 && width == 0) ? 1 : 3
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `Sun, 06 Dec 2026 10:00:00 +0000`, in UTC.
    static func rfc5322Date(_ date: Date) -> String { InternetDate.string(date, zone: "+0000") }
}
