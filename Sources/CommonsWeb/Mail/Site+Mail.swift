import CommonsContent
import CommonsCore
import CommonsMail
import CommonsOrganizing
import CommonsPrivacy
import FluentKit
import Foundation

extension Site {
    var outbox: Outbox { Outbox(settings: settings, keys: keys, clock: clock, database: database) }
    var letters: Letters { Letters(catalogs: catalogs, settings: settings, keys: keys, clock: clock) }
    var mailings: MailingDesk { MailingDesk(database: database, keys: keys, clock: clock) }

    /// The site's name as mail signs it.
    func siteName(on db: (any Database)? = nil) async throws -> String {
        try await ActionConfirmations.siteName(on: db ?? database)
    }

    /// Queues the reminders and notices that are due, and every scheduled mailing whose time
    /// has come; answers how many messages (notices and mailing copies) and mailings were queued.
    @discardableResult
    func queueDueMail() async throws -> (messages: Int, mailings: Int) {
        let name = try await siteName()
        let letters = self.letters
        let outbox = self.outbox
        var queued = 0
        for notice in try await EventNotices(database: database, keys: keys, clock: clock).due() {
            let message = letters.eventNotice(
                notice.kind,
                event: notice.event,
                to: notice.address,
                name: notice.name,
                languageCode: notice.language,
                siteName: name
            )
            if try await outbox.enqueue(message, kind: notice.kind, supporterID: notice.supporterID, dedupeKey: notice.dedupeKey, on: database) != nil
            {
                queued += 1
            }
        }
        let due = try await mailings.queueDue(outbox: outbox, compose: letters.mailingComposer(siteName: name))
        return (queued + due.messages, due.mailings)
    }
}

extension Outbox {
    init(settings: Settings, keys: DataKeys, clock: Clock, database: any Database) {
        self.init(database: database, keys: keys, clock: clock, sender: settings.mail.sender(baseURL: settings.baseURL))
    }
}
