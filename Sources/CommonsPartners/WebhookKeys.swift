import CommonsPrivacy
import FluentKit
import Foundation

/// Webhooks keep secrets and queued bodies under the data key; `commons keys rotate` moves
/// them to the current version with everything else.
public enum WebhookKeys {
    /// Reseals every webhook secret and queued delivery body not under the current key version,
    /// a row per statement inside one transaction per table; answers how many rows were resealed.
    public static func reseal(database: any Database, keys: DataKeys) async throws -> Int {
        let cipher = FieldCipher(keys: keys)
        let version = keys.version
        @Sendable func again(_ value: Data, _ table: String, _ column: String, _ id: UUID) throws -> Data {
            try cipher.seal(try cipher.open(value, table: table, column: column, rowID: id), table: table, column: column, rowID: id)
        }
        return try await database.transaction { db in
            var done = 0
            for webhook in try await Webhook.query(on: db).all() where FieldCipher.version(of: webhook.secret) != version {
                webhook.secret = try again(webhook.secret, Webhook.schema, "secret", try webhook.requireID())
                try await webhook.update(on: db)
                done += 1
            }
            for delivery in try await WebhookDelivery.query(on: db).filter(\.$body != nil).all() {
                guard let body = delivery.body, FieldCipher.version(of: body) != version else { continue }
                delivery.body = try again(body, WebhookDelivery.schema, "body", try delivery.requireID())
                try await delivery.update(on: db)
                done += 1
            }
            return done
        }
    }
}
