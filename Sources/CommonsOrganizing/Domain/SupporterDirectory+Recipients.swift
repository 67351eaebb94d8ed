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
        return try await matching(filter).compactMap { record in
            guard let email = record.person.email, let id = record.supporter.id else { return nil }
            return MailRecipient(supporterID: id, email: email, language: record.person.preferredLanguage, givenName: record.person.givenName)
        }
    }
}
