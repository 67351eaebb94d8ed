import FluentKit
import Foundation

/// What was written to one supporter, as they may see it: which kind of message (a mailing by
/// its subject), when it was queued, and whether it left. Never the text or the address.
public struct MailHistoryItem: Sendable, Equatable, Codable {
    public var kind: String
    public var mailingSubject: String?
    public var queuedAt: Date
    public var sentAt: Date?
    public var status: String
}

extension Outbox {
    /// The messages to one supporter, newest first.
    public func history(of supporterID: UUID) async throws -> [MailHistoryItem] {
        let rows = try await OutboxMessage.query(on: database).filter(\.$supporterID == supporterID).sort(\.$createdAt, .descending).all()
        let mailingIDs = Set(rows.compactMap(\.mailingID))
        // Each copy's subject in the language it was written in (a mailing has a version per language).
        var subjects: [String: String] = [:]
        if !mailingIDs.isEmpty {
            for version in try await MailingVersion.query(on: database).filter(\.$mailing.$id ~~ mailingIDs).all() {
                subjects["\(version.$mailing.id) \(version.language)"] = version.subject
                if subjects["\(version.$mailing.id)"] == nil { subjects["\(version.$mailing.id)"] = version.subject }
            }
        }
        return rows.map { row in
            MailHistoryItem(
                kind: row.kind.rawValue,
                mailingSubject: row.mailingID.flatMap { subjects["\($0) \(row.language)"] ?? subjects["\($0)"] },
                queuedAt: row.createdAt,
                sentAt: row.sentAt,
                status: row.status.rawValue
            )
        }
    }

    /// Deletes every message to one supporter, queued or sent, in `db`'s transaction (a person
    /// who erased themselves).
    public static func forget(_ supporterID: UUID, on db: any Database) async throws {
        try await OutboxMessage.query(on: db).filter(\.$supporterID == supporterID).delete()
    }
}
