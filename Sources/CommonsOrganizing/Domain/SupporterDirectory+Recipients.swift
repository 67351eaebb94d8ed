import CommonsCore
import Foundation

/// Someone a mailing goes to, opened just for writing to them.
public struct MailRecipient: Sendable {
    public let supporterID: UUID
    public let email: String
    public let language: String?
    public let givenName: String?

    public init(supporterID: UUID, email: String, language: String?, givenName: String?) {
        self.supporterID = supporterID
        self.email = email
        self.language = language
        self.givenName = givenName
    }
}

extension SupporterDirectory {
    /// The people of the filter who take email news and have an address. The caller (a mailing)
    /// records the look in the audit log with what it did.
    public func mailRecipients(_ filter: SupporterFilter) async throws -> [MailRecipient] {
        var filter = filter
        filter.emailOptIn = true
        filter.query = ""
        // Read and opened 500 at a time, like the export: only the recipients themselves (a
        // few dozen bytes each) are held, not 100,000 supporter rows at once.
        let ids = try await matchingIDs(filter)
        var recipients: [MailRecipient] = []
        recipients.reserveCapacity(ids.count)
        for chunk in ids.chunked(500) {
            for supporter in try await supporters(chunk) {
                let person = try vault.open(supporter)
                guard let email = person.email, let id = supporter.id else { continue }
                recipients.append(MailRecipient(supporterID: id, email: email, language: person.preferredLanguage, givenName: person.givenName))
            }
        }
        return recipients
    }
}
