import CommonsAudit
import CommonsCore
import CommonsPrivacy
import Crypto
import FluentKit
import Foundation
import NIOCore

/// The webhooks admins register: an HTTPS address and the events it wants. Registering, turning
/// one on again and removing one are in the audit log; the secret is shown once.
public struct WebhookDirectory: Sendable {
    public static let urlLimit = 2000
    /// Deliveries shown per webhook.
    public static let shownDeliveries = 50

    let database: any Database
    let cipher: FieldCipher
    let clock: Clock
    /// `COMMONS_WEBHOOK_ALLOW_LOCAL=1`: plain HTTP to the loopback is allowed (for tests).
    let allowLocal: Bool

    public init(database: any Database, keys: DataKeys, clock: Clock, allowLocal: Bool) {
        self.database = database
        self.cipher = FieldCipher(keys: keys)
        self.clock = clock
        self.allowLocal = allowLocal
    }

    /// Checks an address as typed: `https://` (or `http://` to the loopback when local
    /// addresses are allowed), a host, no user or password, and no literal address outside the
    /// public internet. Host names are checked again, resolved, at each delivery.
    public static func check(_ raw: String, allowLocal: Bool) throws -> URL {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard text.utf8.count <= urlLimit, let components = URLComponents(string: text), let url = components.url,
            let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil, components.fragment == nil
        else { throw ValidationErrors(field: "url", message: "error.webhook_url_invalid") }
        let literal = try? SocketAddress(ipAddress: host.trimmingCharacters(in: ["[", "]"]), port: 443)
        let reach = literal.map(NetworkAddress.reach) ?? (host.lowercased() == "localhost" ? .loopback : .publicInternet)
        if reach == .privateNetwork || (reach == .loopback && !allowLocal) {
            throw ValidationErrors(field: "url", message: "error.webhook_url_internal")
        }
        guard scheme == "https" || (scheme == "http" && reach == .loopback) else {
            throw ValidationErrors(field: "url", message: "error.webhook_url_https")
        }
        return url
    }

    /// Registers a webhook; answers it with its signing secret, which is not shown again.
    public func register(url raw: String, events: Set<WebhookEvent>, by actor: AuditActor) async throws -> (webhook: Webhook, secret: String) {
        var errors = ValidationErrors()
        var url: URL?
        do { url = try Self.check(raw, allowLocal: allowLocal) } catch let found as ValidationErrors { errors.add(found) }
        if events.isEmpty { errors.add(field: "events", message: "error.webhook_events_required") }
        try errors.throwIfAny()
        let secret = "whsec_" + SymmetricKey(size: .bits256).withUnsafeBytes { Hex.string($0) }
        let webhook = Webhook()
        let id = UUID.random()
        webhook.id = id
        webhook.url = url!.absoluteString
        webhook.eventList = WebhookEvent.allCases.filter(events.contains).map(\.rawValue).joined(separator: ",")
        webhook.secret = try cipher.seal(secret, table: Webhook.schema, column: "secret", rowID: id)
        webhook.active = true
        webhook.createdBy = actor.accountID
        webhook.createdAt = clock.now
        try await database.transaction { db in
            try await webhook.create(on: db)
            try await AuditLog(database: db).record(
                "webhook.created",
                by: actor,
                subjectType: "webhook",
                subjectID: id.uuidString,
                detail: "events=\(webhook.eventList)",
                at: clock.now
            )
        }
        return (webhook, secret)
    }

    /// Every webhook, newest first.
    public func all() async throws -> [Webhook] {
        try await Webhook.query(on: database).sort(\.$createdAt, .descending).sort(\.$id).all()
    }

    public func webhook(_ id: UUID) async throws -> Webhook? { try await Webhook.find(id, on: database) }

    /// The newest deliveries of a webhook.
    public func deliveries(of id: UUID) async throws -> [WebhookDelivery] {
        try await WebhookDelivery.query(on: database).filter(\.$webhook.$id == id).sort(\.$createdAt, .descending).sort(\.$id)
            .limit(Self.shownDeliveries).all()
    }

    /// The active webhooks that want `event`.
    public func subscribers(to event: WebhookEvent, on db: any Database) async throws -> [Webhook] {
        try await Webhook.query(on: db).filter(\.$active == true).all().filter { $0.events.contains(event) }
    }

    /// Turns a webhook that was turned off on again; its failures are forgotten.
    public func enable(_ id: UUID, by actor: AuditActor) async throws {
        try await change(id, "webhook.enabled", by: actor) { webhook in
            webhook.active = true
            webhook.failingSince = nil
            webhook.disabledAt = nil
            webhook.disabledReason = nil
        }
    }

    /// Removes a webhook and its deliveries.
    public func delete(_ id: UUID, by actor: AuditActor) async throws {
        try await database.transaction { db in
            guard let webhook = try await Webhook.find(id, on: db) else { throw WebhookError.notFound }
            try await WebhookDelivery.query(on: db).filter(\.$webhook.$id == id).delete()
            try await webhook.delete(on: db)
            try await AuditLog(database: db).record("webhook.deleted", by: actor, subjectType: "webhook", subjectID: id.uuidString, at: clock.now)
        }
    }

    private func change(_ id: UUID, _ action: String, by actor: AuditActor, _ body: @escaping @Sendable (Webhook) -> Void) async throws {
        try await database.transaction { db in
            guard let webhook = try await Webhook.find(id, on: db) else { throw WebhookError.notFound }
            body(webhook)
            try await webhook.update(on: db)
            try await AuditLog(database: db).record(action, by: actor, subjectType: "webhook", subjectID: id.uuidString, at: clock.now)
        }
    }
}

public enum WebhookError: NotFoundError, Equatable {
    case notFound
}
