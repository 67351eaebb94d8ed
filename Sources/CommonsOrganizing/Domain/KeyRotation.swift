import CommonsPrivacy
import FluentKit
import Foundation

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
