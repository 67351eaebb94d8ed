import CommonsContent
import CommonsCore
import CommonsMail
import CommonsOrganizing
import CommonsPrivacy
import FluentKit

/// What follows a group of public actions inside its transaction, so it commits with them or
/// not at all: the thanks for each, and the request to confirm what one asked of a record, to
/// the address on file. One look-up of the site's name and one batch into the outbox serve the
/// whole group.
struct ActionConfirmations: Sendable {
    let letters: Letters
    let outbox: Outbox

    init(catalogs: StringCatalogs, settings: Settings, keys: DataKeys, clock: Clock, database: any Database) {
        letters = Letters(catalogs: catalogs, settings: settings, keys: keys, clock: clock)
        outbox = Outbox(settings: settings, keys: keys, clock: clock, database: database)
    }

    /// The site's name as mail signs it.
    static func siteName(on db: any Database) async throws -> String {
        try await SiteSettings(database: db).all()[.siteName] ?? "Commons"
    }

    func queue(_ recorded: [RecordedAction], on db: any Database) async throws {
        let name = try await Self.siteName(on: db)
        var messages: [Outbox.Outgoing] = []
        for action in recorded {
            let actionID = try action.action.requireID()
            let key = actionID.uuidString.lowercased()
            if let message = letters.confirmation(for: action, siteName: name) {
                let kind: OutboxMessage.Kind = action.event == nil ? .confirmation : .rsvp
                messages.append(Outbox.Outgoing(message, kind: kind, supporterID: action.supporterID, dedupeKey: "action:\(key)"))
            }
            if let pending = action.pendingChange {
                let message = letters.changeConfirmation(pending, actionID: actionID, languageCode: action.language, siteName: name)
                messages.append(
                    Outbox.Outgoing(message, kind: .changeConfirmation, supporterID: action.supporterID, dedupeKey: "change:\(key)")
                )
            }
        }
        try await outbox.enqueue(messages, on: db)
    }
}
