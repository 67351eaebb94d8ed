import CommonsContent
import CommonsMail
import CommonsOrganizing
import FluentKit
import Foundation

extension Site {
    var outbox: Outbox { Outbox(database: database, keys: keys, clock: clock, sender: settings.mail.sender(baseURL: settings.baseURL)) }
    var letters: Letters { Letters(site: self) }
    var mailings: MailingDesk { MailingDesk(database: database, keys: keys, clock: clock) }

    /// The site's name as mail signs it.
    func siteName(on db: (any Database)? = nil) async throws -> String {
        try await SiteSettings(database: db ?? database).all()[.siteName] ?? "Commons"
    }

    /// Queues the confirmation of a public action inside the action's own transaction, and the
    /// request to confirm what it asked to change, to the address on file.
    func queueConfirmation(_ recorded: RecordedAction, on db: any Database) async throws {
        let name = try await siteName(on: db)
        let actionID = try recorded.action.requireID().uuidString.lowercased()
        if let message = letters.confirmation(for: recorded, siteName: name) {
            try await outbox.enqueue(
                message,
                kind: recorded.event == nil ? .confirmation : .rsvp,
                supporterID: recorded.supporterID,
                dedupeKey: "action:\(actionID)",
                on: db
            )
        }
        if let pending = recorded.pendingChange {
            let message = letters.changeConfirmation(
                pending,
                actionID: try recorded.action.requireID(),
                languageCode: recorded.language,
                siteName: name
            )
            try await outbox.enqueue(message, kind: .changeConfirmation, supporterID: recorded.supporterID, dedupeKey: "change:\(actionID)", on: db)
        }
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
