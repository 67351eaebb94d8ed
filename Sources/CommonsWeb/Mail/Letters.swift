import CommonsContent
import CommonsCore
import CommonsMail
import CommonsOrganizing
import CommonsPrivacy
import Foundation
import Synchronization

/// Every message Commons writes, in the reader's language, from the catalogs: plain text and
/// HTML made from the same lines. Nothing in them is fetched from elsewhere and no link is
/// rewritten.
struct Letters: Sendable {
    let catalogs: StringCatalogs
    let settings: Settings
    let keys: DataKeys
    let clock: Clock

    /// One paragraph of a message: text, and where it has one, a link shown as its own line.
    struct Line {
        var text: String
        var link: String? = nil
    }

    func language(_ code: String?) -> Language { code.flatMap { Language.known(code: $0) } ?? .english }

    /// Thanks for a sign-up, a signature or an RSVP; nil when the campaign sends none or the
    /// person gave no address.
    func confirmation(for recorded: RecordedAction, siteName: String) -> MailMessage? {
        guard let address = recorded.person.email else { return nil }
        let language = language(recorded.language)
        let strings = catalogs[language]
        var lines = [Line(text: greeting(recorded.person.givenName, strings))]
        if let campaign = recorded.campaign {
            guard campaign.sendsConfirmation else { return nil }
            let kind = campaign.kind == .petition ? "petition" : "signup"
            lines.append(Line(text: strings.format("mail.\(kind)_text", ["title": campaign.title])))
            lines.append(Line(text: strings["mail.details"], link: link(SitePath.campaign(campaign.slug), language)))
            return message(
                to: address,
                subject: strings.format("mail.\(kind)_subject", ["title": campaign.title]),
                lines: lines + footer(transactional: true, siteName: siteName, strings),
                language: language
            )
        }
        guard let event = recorded.event else { return nil }
        let waitlisted = recorded.action.waitlisted
        lines.append(Line(text: strings.format(waitlisted ? "mail.waitlist_text" : "mail.rsvp_text", ["title": event.title])))
        lines += eventLines(event, language, withOnlineLink: !waitlisted)
        var message = message(
            to: address,
            subject: strings.format(waitlisted ? "mail.waitlist_subject" : "mail.rsvp_subject", ["title": event.title]),
            lines: lines + footer(transactional: true, siteName: siteName, strings),
            language: language
        )
        if !waitlisted { message.attachments = [calendar(event)] }
        return message
    }

    /// The day-before reminder, the notice of a cancelled event, or of a place that opened up.
    func eventNotice(
        _ kind: OutboxMessage.Kind,
        event: Event,
        to address: String,
        name: String?,
        languageCode: String?,
        siteName: String
    ) -> MailMessage {
        let language = language(languageCode)
        let strings = catalogs[language]
        let key = kind == .cancellation ? "cancelled" : (kind == .waitlistPromotion ? "promoted" : "reminder")
        var lines = [Line(text: greeting(name, strings)), Line(text: strings.format("mail.\(key)_text", ["title": event.title]))]
        lines += eventLines(event, language, withOnlineLink: kind != .cancellation)
        var message = message(
            to: address,
            subject: strings.format("mail.\(key)_subject", ["title": event.title]),
            lines: lines + footer(transactional: true, siteName: siteName, strings),
            language: language
        )
        if kind != .cancellation { message.attachments = [calendar(event)] }
        return message
    }

    /// One copy of a mailing: its Markdown as the text part and, rendered, as the HTML part;
    /// the footer says why and how to stop, and the headers offer one-click unsubscribing.
    func mailing(_ version: MailingVersion, to recipient: MailRecipient, siteName: String, bodyHTML: String? = nil) -> MailMessage {
        let language = language(version.language)
        let strings = catalogs[language]
        let stop = unsubscribeURL(recipient.supporterID, language)
        let footerLines =
            footer(transactional: false, siteName: siteName, strings) + [
                Line(text: strings["mail.unsubscribe"], link: stop),
                Line(text: strings["mail.my_data_footer"], link: link(SitePath.myData(), language)),
            ]
        var message = MailMessage(
            to: recipient.email,
            subject: version.subject,
            text: version.body + "\n\n-- \n" + plain(footerLines),
            html: (bodyHTML ?? MarkdownRenderer().html(from: version.body)) + "\n<hr>\n" + html(footerLines),
            language: language.tag,
            isRightToLeft: language.isRightToLeft
        )
        message.headers = [("List-Unsubscribe", "<\(stop)>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
        return message
    }

    /// "Send a test to me" and `commons mail test`.
    func test(to address: String, languageCode: String?, siteName: String) -> MailMessage {
        let language = language(languageCode)
        let strings = catalogs[language]
        return message(
            to: address,
            subject: strings.format("mail.test_subject", ["site": siteName]),
            lines: [Line(text: strings.format("mail.test_text", ["site": siteName]))],
            language: language
        )
    }

    /// The message to the address on file asking the person to confirm what a form asked of
    /// their record: email news (double opt-in, or a "yes" the record did not have) or new
    /// values. It names the fields, never their values: whoever sent the form may not be the
    /// person who reads this.
    func changeConfirmation(_ pending: PendingChange, actionID: UUID, languageCode: String?, siteName: String) -> MailMessage {
        let language = language(languageCode)
        let strings = catalogs[language]
        let token = ChangeConfirmations.token(for: actionID, keys: keys, now: clock.now)
        let labels = pending.fields.map { strings["form.\($0.rawValue)"] }.joined(separator: ", ")
        let values = ["site": siteName, "fields": labels]
        let ask =
            pending.fields.isEmpty ? "mail.optin_text" : pending.emailOptIn ? "mail.change_and_optin_text" : "mail.change_text"
        let lines = [
            Line(text: strings["mail.greeting_anonymous"]),
            Line(text: strings.format(ask, values)),
            Line(text: strings["mail.confirm_link"], link: link(SitePath.confirmChange(token), language)),
            Line(text: strings["mail.confirm_ignore"]),
        ]
        return message(
            to: pending.address,
            subject: strings.format(pending.fields.isEmpty ? "mail.optin_subject" : "mail.change_subject", values),
            lines: lines + footer(transactional: true, siteName: siteName, strings),
            language: language
        )
    }

    /// Writes the copies of one mailing: each version's Markdown is rendered once, not once per
    /// person (only the footer and its unsubscribe link differ between copies).
    func mailingComposer(siteName: String) -> MailingComposer {
        let rendered = Mutex<[String: String]>([:])
        return { version, recipient in
            let key = version.language + "\u{0}" + version.body
            let html = rendered.withLock { cache in
                if let html = cache[key] { return html }
                let html = MarkdownRenderer().html(from: version.body)
                cache[key] = html
                return html
            }
            return mailing(version, to: recipient, siteName: siteName, bodyHTML: html)
        }
    }

    // MARK: - Pieces

    func greeting(_ name: String?, _ strings: StringCatalog) -> String {
        guard let name, !name.isEmpty else { return strings["mail.greeting_anonymous"] }
        return strings.format("mail.greeting", ["name": name])
    }

    private func eventLines(_ event: Event, _ language: Language, withOnlineLink: Bool) -> [Line] {
        let strings = catalogs[language]
        let formatting = Formatting(language: language, strings: catalogs[language], timeZone: settings.timeZone)
        var lines = [
            Line(
                text: strings.format("mail.when", ["when": formatting.eventTime(start: event.startsAt, end: event.endsAt, timeZone: event.timeZone)])
            )
        ]
        let place = [event.venue, event.address].filter { !$0.isEmpty }.joined(separator: ", ")
        if !place.isEmpty { lines.append(Line(text: strings.format("mail.where", ["place": place]))) }
        if withOnlineLink, let online = event.onlineURL { lines.append(Line(text: strings["mail.online"], link: online)) }
        lines.append(Line(text: strings["mail.details"], link: link(SitePath.event(event.slug), language)))
        return lines
    }

    func footer(transactional: Bool, siteName: String, _ strings: StringCatalog) -> [Line] {
        [Line(text: strings.format(transactional ? "mail.why_transactional" : "mail.why_mailing", ["site": siteName]))]
    }

    private func calendar(_ event: Event) -> MailAttachment {
        let ics = EventCalendar.ics(for: event, url: settings.baseURL + SitePath.event(event.slug), now: clock.now)
        return MailAttachment(filename: "\(event.slug).ics", contentType: "text/calendar; charset=utf-8; method=PUBLISH", data: Data(ics.utf8))
    }

    func link(_ path: String, _ language: Language) -> String {
        settings.baseURL + SitePath.localized(path, in: language)
    }

    func message(to address: String, subject: String, lines: [Line], language: Language) -> MailMessage {
        MailMessage(
            to: address,
            subject: subject,
            text: plain(lines),
            html: html(lines),
            language: language.tag,
            isRightToLeft: language.isRightToLeft
        )
    }

    private func plain(_ lines: [Line]) -> String {
        lines.map { line in line.link.map { "\(line.text)\n\($0)" } ?? line.text }.joined(separator: "\n\n")
    }

    private func html(_ lines: [Line]) -> String {
        lines.map { line in
            let text = HTMLText.escape(line.text)
            guard let link = line.link else { return "<p>\(text)</p>" }
            return "<p>\(text)<br><a href=\"\(HTMLText.escape(link))\">\(HTMLText.escape(link))</a></p>"
        }.joined(separator: "\n")
    }
}
