import FluentKit
import Foundation

/// The table of moved addresses, answered with 301.
public struct Redirects: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Records that `from` now lives at `to`. Earlier redirects to `from` are pointed at `to`
    /// directly (no chains), and a redirect away from `to` is dropped, since `to` exists again.
    public func add(from: String, to: String) async throws {
        guard from != to else { return }
        try await Redirect.query(on: database).filter(\.$toPath == from).set(\.$toPath, to: to).update()
        try await Redirect.query(on: database).filter(\.$fromPath == to).delete()
        try await Redirect.query(on: database).filter(\.$toPath == \.$fromPath).delete()
        if let existing = try await Redirect.query(on: database).filter(\.$fromPath == from).first() {
            existing.toPath = to
            try await existing.update(on: database)
        } else {
            let redirect = Redirect()
            redirect.fromPath = from
            redirect.toPath = to
            try await redirect.create(on: database)
        }
    }

    /// Where an old path now lives, if it moved.
    public func target(for path: String) async throws -> String? {
        try await Redirect.query(on: database).filter(\.$fromPath == path).first()?.toPath
    }

    /// Every redirect, for the staff area and exports.
    public func all() async throws -> [Redirect] {
        try await Redirect.query(on: database).sort(\.$fromPath).all()
    }
}
