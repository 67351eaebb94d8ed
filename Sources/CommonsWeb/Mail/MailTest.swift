import CommonsContent
import CommonsCore
import CommonsMail
import CommonsSMTP
import Foundation

/// `commons mail test --to ADDRESS`: one message straight to the relay (not through the
/// outbox), answering what the server said at each step, so an operator sees at once whether
/// the settings work. Throws `SMTPError`, whose text says what went wrong in words.
public func sendTestMail(settings: Settings, to address: String) async throws -> [String] {
    guard let server = settings.mail.server else {
        throw SMTPError.configuration("is not set: set COMMONS_SMTP_URL (and COMMONS_MAIL_FROM) to send mail")
    }
    guard EmailAddress.isValid(EmailAddress.normalize(address)) else { throw SMTPError.invalidAddress }
    let strings = try StringCatalogs.bundled()[.english]
    let sender = settings.mail.sender(baseURL: settings.baseURL)
    let site = "Commons"
    let message = MailMessage(
        to: address,
        subject: strings.format("mail.test_subject", ["site": site]),
        text: strings.format("mail.test_text", ["site": site]),
        html: "<p>" + HTMLText.escape(strings.format("mail.test_text", ["site": site])) + "</p>",
        language: "en"
    )
    let connection = try await SMTPConnection.open(to: server, heloName: sender.domain)
    var transcript = await connection.transcript
    do {
        let id = UUID.random().uuidString.lowercased()
        let reply = try await connection.send(from: sender.address, to: address, message: message.rendered(from: sender, messageID: id, date: Date()))
        transcript.append(reply.text)
    } catch {
        await connection.close()
        throw error
    }
    await connection.close()
    return transcript
}
