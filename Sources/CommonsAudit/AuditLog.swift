import CommonsCore
import FluentKit
import Foundation

/// Who did something the audit log records: a staff member, or the system itself (a command
/// run on the server, the daily purge), named in the line's detail.
public struct AuditActor: Sendable, Equatable {
    public let accountID: UUID?
    /// What acted when no account did: "command line", "daily job".
    public let source: String?

    public static func staff(_ accountID: UUID) -> AuditActor { AuditActor(accountID: accountID, source: nil) }
    public static func system(_ source: String) -> AuditActor { AuditActor(accountID: nil, source: source) }
}

/// The record of what staff did with supporter data and accounts. It can only grow. The
/// domain writes a line in the same transaction as the act it records.
public struct AuditLog: Sendable {
    public static let entriesPerPage = 50

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Appends one line. `detail` holds plain facts (a filter, a count), never personal data.
    public func record(
        _ action: String,
        by actor: UUID?,
        subjectType: String? = nil,
        subjectID: String? = nil,
        detail: String = "",
        at date: Date
    ) async throws {
        let entry = AuditEntry()
        entry.at = date
        entry.actorID = actor
        entry.action = action
        entry.subjectType = subjectType
        entry.subjectID = subjectID
        entry.detail = detail
        try await entry.create(on: database)
    }

    /// Appends one line for `actor`; a system actor's source leads the detail.
    public func record(
        _ action: String,
        by actor: AuditActor,
        subjectType: String? = nil,
        subjectID: String? = nil,
        detail: String = "",
        at date: Date
    ) async throws {
        let detail = [actor.source, detail.isEmpty ? nil : detail].compactMap { $0 }.joined(separator: " ")
        try await record(action, by: actor.accountID, subjectType: subjectType, subjectID: subjectID, detail: detail, at: date)
    }

    /// The newest lines first.
    public func page(_ page: Int) async throws -> (entries: [AuditEntry], hasMore: Bool) {
        guard let start = Pagination.offset(page: page, perPage: Self.entriesPerPage) else { return ([], false) }
        let entries = try await AuditEntry.query(on: database).sort(\.$at, .descending).sort(\.$id).range(start..<(start + Self.entriesPerPage + 1))
            .all()
        return (Array(entries.prefix(Self.entriesPerPage)), entries.count > Self.entriesPerPage)
    }
}
