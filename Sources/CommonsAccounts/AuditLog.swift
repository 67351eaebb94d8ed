import CommonsCore
import FluentKit
import Foundation

/// The record of what staff did with supporter data and accounts. It can only grow.
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

    /// The newest lines first.
    public func page(_ page: Int) async throws -> (entries: [AuditEntry], hasMore: Bool) {
        guard let start = Pagination.offset(page: page, perPage: Self.entriesPerPage) else { return ([], false) }
        let entries = try await AuditEntry.query(on: database).sort(\.$at, .descending).sort(\.$id).range(start..<(start + Self.entriesPerPage + 1))
            .all()
        return (Array(entries.prefix(Self.entriesPerPage)), entries.count > Self.entriesPerPage)
    }
}
