import CommonsCore
import FluentKit
import Foundation
import SQLKit

extension Collection where Element: Model {
    /// Inserts these new models with one statement: what FluentKit's `[Model].create(on:)`
    /// writes, without the child task it starts per model (to run model middleware, which
    /// Commons has none of). Under a crowd of sign-ups each of those tasks queued behind every
    /// request in flight, and a group of 30 waited on 120 of them. Timestamps kept on create or
    /// on update are set to `now`, as `create` sets them; a row without an id gets the
    /// database's (an integer key).
    public func insert(on db: any Database, at now: Date) async throws {
        try await insert(on: db, at: now) { nil }
    }

    fileprivate func insert(on db: any Database, at now: Date, newID: () -> Element.IDValue?) async throws {
        guard !isEmpty else { return }
        let withDefaults = db is any SQLDatabase
        // Where the timestamps are in a model's property list (the same for every model of a
        // type), found once: a cast of every property of every row was a measurable part of a
        // group of sign-ups.
        let properties = first!.properties
        let stamped = properties.indices.filter { properties[$0] is any CreationStamped }
        let rows = map { model in
            if model.id == nil, let id = newID() { model.id = id }
            let properties = model.properties
            for index in stamped { (properties[index] as! any CreationStamped).stamp(now) }
            let row = NewRow(wantsUnmodifiedKeys: withDefaults)
            model.input(to: row)
            return row.values
        }
        try await Element.query(on: db).set(rows).create()
        for model in self { model._$idExists = true }
    }
}

extension Collection where Element: Model, Element.IDValue == UUID {
    /// As above; a model without an id gets a new UUID, as `create` gives it, but ordered by
    /// time (`UUID.timeOrdered`) so that the rows of a group sit together in the id's index.
    public func insert(on db: any Database, at now: Date) async throws {
        try await insert(on: db, at: now) { UUID.timeOrdered(at: now) }
    }
}

/// One model's values as an insert sends them.
private final class NewRow: DatabaseInput {
    var values: [FieldKey: DatabaseQuery.Value] = [:]
    let wantsUnmodifiedKeys: Bool

    init(wantsUnmodifiedKeys: Bool) { self.wantsUnmodifiedKeys = wantsUnmodifiedKeys }

    func set(_ value: DatabaseQuery.Value, at key: FieldKey) { values[key] = value }
}

/// A timestamp a new row sets (FluentKit's own protocol for it is internal).
private protocol CreationStamped {
    func stamp(_ now: Date)
}

extension TimestampProperty: CreationStamped {
    fileprivate func stamp(_ now: Date) {
        if trigger == .create || trigger == .update { touch(date: now) }
    }
}
