import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsPrivacy
import FluentKit
import Foundation
import SQLKit

/// Re-encrypts supporters' personal data under the current key version, a few rows per
/// transaction, while the site keeps serving: rows not yet done stay readable and findable
/// under their old version.
public struct KeyRotation: Sendable {
    let database: any Database
    let keys: DataKeys
    let vault: SupporterVault

    public init(database: any Database, keys: DataKeys) {
        self.database = database
        self.keys = keys
        self.vault = SupporterVault(keys: keys)
    }

    /// What a rotation did: the version added to the key file (nil when the keys come from the
    /// environment), the version everything is now under, and how many supporters were re-encrypted.
    public struct Report: Sendable {
        public let addedVersion: UInt8?
        public let version: UInt8
        public let supporters: Int
        /// Rows of other tables that `also` resealed (the outbox).
        public let others: Int
    }

    /// The whole rotation: a new key version in the key file when the keys live there (then a
    /// pause while running servers reread it), every row re-encrypted, the database's key check
    /// updated and the rotation written to the audit log.
    /// `also` reseals what other modules keep under the same keys (the mail outbox), after the
    /// supporters and before the key check moves on; it answers how many rows it resealed.
    public func rotate(
        addingVersion: Bool,
        settle: Duration = .seconds(5),
        also: @Sendable () async throws -> Int = { 0 },
        by actor: AuditActor,
        clock: Clock
    ) async throws -> Report {
        var added: UInt8?
        if addingVersion {
            added = try keys.addVersion()
            // Running servers reread the key file within a few seconds.
            try await Task.sleep(for: settle)
        }
        let count = try await reencryptAll()
        let others = try await also()
        try await database.transaction { db in
            try await SiteSettings(database: db).set(.dataKeyCheck, to: keys.checkValue)
            try await AuditLog(database: db).record("keys.rotated", by: actor, detail: "version=\(keys.version) supporters=\(count)", at: clock.now)
        }
        return Report(addedVersion: added, version: keys.version, supporters: count, others: others)
    }

    /// Returns how many supporters were re-encrypted.
    public func reencryptAll(batchSize: Int = 100) async throws -> Int {
        let version = keys.version
        var done = 0
        var after: UUID?
        while true {
            var query = Supporter.query(on: database).sort(\.$id).limit(batchSize)
            if let after { query = query.filter(\.$id > after) }
            let batch = try await query.all()
            guard let last = batch.last else { break }
            after = last.id
            let stale = batch.filter { !vault.isCurrent($0, version: version) }
            guard !stale.isEmpty else { continue }
            try await database.transaction { db in
                for supporter in stale {
                    // Re-read inside the transaction: a sign-up may have changed the row meanwhile.
                    guard let fresh = try await Supporter.find(supporter.requireID(), on: db) else { continue }
                    try vault.seal(try vault.open(fresh), into: fresh)
                    try await fresh.update(on: db)
                }
            }
            done += stale.count
        }
        try await reencryptSubmissions(batchSize: batchSize)
        return done
    }

    /// Gives the supporters stored before names were indexed (`IndexSupporterNamesAndOrder`)
    /// their name index, a batch per transaction; answers how many, and how many of those could
    /// not be opened (sealed under a lost key, or damaged): they get an empty index, so one bad
    /// row never keeps the server from starting. The server does this as it starts, so it finds
    /// nothing to do after the first start. A row changed meanwhile was indexed by that change
    /// and is left as it is.
    public func indexNames(batchSize: Int = 500) async throws -> (indexed: Int, unreadable: Int) {
        var done = 0
        var unreadable = 0
        var after: UUID?
        while true {
            // Forward by id, so each batch starts where the last stopped instead of scanning
            // the table again for the ones still without an index.
            var query = Supporter.query(on: database).filter(\.$nameIndex == nil).sort(\.$id).limit(batchSize)
            if let after { query = query.filter(\.$id > after) }
            let batch = try await query.all()
            guard let last = batch.last else { break }
            after = try last.requireID()
            let indexes = try batch.map { supporter in (try supporter.requireID(), (try? vault.open(supporter)).map(vault.nameIndex)) }
            unreadable += indexes.filter { $0.1 == nil }.count
            // One statement for the batch; a row indexed meanwhile (a sign-up sealed it) keeps its own.
            var update: SQLQueryString = "UPDATE \(ident: Supporter.schema) SET name_index = CASE id"
            for (id, index) in indexes { update += " WHEN \(bind: id) THEN \(bind: index ?? " ")" }
            update += " END WHERE id IN (\(binds: indexes.map(\.0))) AND name_index IS NULL"
            try await (database as! any SQLDatabase).raw(update).run()
            done += batch.count
        }
        return (done, unreadable)
    }

    /// The values kept on actions, sealed like supporters' and rotated the same way.
    private func reencryptSubmissions(batchSize: Int) async throws {
        let version = keys.version
        var after: UUID?
        while true {
            var query = Action.query(on: database).filter(\.$submitted != nil).sort(\.$id).limit(batchSize)
            if let after { query = query.filter(\.$id > after) }
            let batch = try await query.all()
            guard let last = batch.last else { break }
            after = last.id
            let stale = batch.filter { $0.submitted.flatMap(FieldCipher.version(of:)) != version }
            guard !stale.isEmpty else { continue }
            try await database.transaction { db in
                for action in stale {
                    guard let fresh = try await Action.find(action.requireID(), on: db), let person = try vault.submission(of: fresh) else {
                        continue
                    }
                    try vault.sealSubmission(person, into: fresh)
                    try await fresh.update(on: db)
                }
            }
        }
    }
}
