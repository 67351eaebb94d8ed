import AsyncHTTPClient
import CommonsAudit
import CommonsCore
import CommonsOrganizing
import CommonsPartners
import FluentKit
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Turns supporters' changes into webhook deliveries and sends what is due. Collecting runs in
/// the transaction that removes the change lines (`SupporterChange.drain`), so every change
/// is queued for every webhook that wants it exactly once, or not at all if the server dies.
struct WebhookDispatch: Sendable {
    static let batch = 200
    static let concurrentDeliveries = 16
    static let timeout: TimeAmount = .seconds(10)

    let site: Site
    let logger: Logger

    var queue: WebhookQueue { WebhookQueue(database: site.database, keys: site.keys, clock: site.clock) }
    /// Queues deliveries for the changes waiting; answers how many changes were read.
    @discardableResult
    func collect() async throws -> Int {
        // Nobody listens: drop what piled up in one statement instead of batch after batch.
        if try await Webhook.query(on: site.database).filter(\.$active == true).count() == 0 {
            try await SupporterChange.discardAll(on: site.database)
            return 0
        }
        let partners = PartnerDesk(database: site.database, keys: site.keys, clock: site.clock)
        let base = site.settings.baseURL
        return try await SupporterChange.drain(limit: Self.batch, on: site.database) { [queue] changes, db in
            let hooks = try await Webhook.query(on: db).filter(\.$active == true).all()
            guard !hooks.isEmpty else { return }
            let people = try await partners.records(ids: Array(Set(changes.map(\.supporterID))), on: db)
            let actionIDs = changes.compactMap(\.actionID)
            let actions = actionIDs.isEmpty ? [] : try await Action.query(on: db).filter(\.$id ~~ actionIDs).all()
            let actionsByID = Dictionary(uniqueKeysWithValues: actions.compactMap { action in action.id.map { ($0, action) } })
            var sent = 0
            for change in changes {
                // Someone erased meanwhile is not told about.
                guard let record = people[change.supporterID] else { continue }
                let action = change.actionID.flatMap { actionsByID[$0] }
                guard let (event, body) = Self.payload(change, record: record, action: action, base: base) else { continue }
                for hook in hooks where hook.events.contains(event) {
                    try await queue.enqueue(event, body: body, to: try hook.requireID(), on: db)
                    sent += 1
                }
            }
            if sent > 0 {
                try await AuditLog(database: db).record(
                    "webhooks.queued",
                    by: .system("webhook delivery"),
                    detail: "deliveries=\(sent) people=\(people.count)",
                    at: site.clock.now
                )
            }
        }
    }

    /// The event a change is, and its body: the person in OSDI's shape, with the action taken.
    static func payload(_ change: SupporterChange, record: SupporterRecord, action: Action?, base: String) -> (WebhookEvent, String)? {
        struct Body: Encodable {
            let event: String
            let created_date: String
            let person: OSDI.Person
            let action: OSDI.Action?

            enum CodingKeys: String, CodingKey {
                case event, created_date
                case person = "osdi:person"
                case signature = "osdi:signature"
                case attendance = "osdi:attendance"
                case submission = "osdi:submission"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(event, forKey: .event)
                try container.encode(created_date, forKey: .created_date)
                try container.encode(person, forKey: .person)
                let key: CodingKeys? =
                    switch event {
                    case WebhookEvent.signatureCreated.rawValue: .signature
                    case WebhookEvent.attendanceCreated.rawValue: .attendance
                    case WebhookEvent.submissionCreated.rawValue: .submission
                    default: nil
                    }
                if let key, let action { try container.encode(action, forKey: key) }
            }
        }
        let event: WebhookEvent
        switch change.kind {
        case .created: event = .personCreated
        case .updated: event = .personUpdated
        case .unsubscribed: event = .personUnsubscribed
        case .acted:
            guard let action else { return nil }
            switch action.kind {
            case .petition: event = .signatureCreated
            case .rsvp: event = .attendanceCreated
            case .signup: event = .submissionCreated
            case .unsubscribe, .bounce: return nil
            }
        }
        let body = Body(
            event: event.rawValue,
            created_date: OSDI.date(change.at),
            person: OSDI.person(record, base: base),
            action: change.kind == .acted ? action.map { OSDI.action($0, base: base) } : nil
        )
        guard let data = try? APIResponse.encoder.encode(body) else { return nil }
        return (event, String(decoding: data, as: UTF8.self))
    }

    /// Sends what is due, a few at a time; answers how many were tried.
    @discardableResult
    func deliverDue() async throws -> Int {
        let due = try await queue.claim(limit: Self.concurrentDeliveries)
        await withTaskGroup(of: Void.self) { group in
            for delivery in due {
                group.addTask {
                    let outcome = await send(delivery)
                    do {
                        switch outcome {
                        case .success(let status): try await queue.delivered(delivery, status: status)
                        case .failure(let status, let reason): try await queue.failed(delivery, status: status, reason: reason)
                        }
                    } catch {
                        logger.error("webhook outcome not recorded", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                    }
                }
            }
        }
        return due.count
    }

    enum Outcome {
        case success(Int)
        case failure(Int?, String)
    }

    /// One POST: the host resolved here and checked, then the connection pinned to that address
    /// (`dnsOverride`, certificates still checked for the name), no redirects, 10 seconds.
    func send(_ delivery: ClaimedDelivery) async -> Outcome {
        guard let url = URL(string: delivery.url), let host = url.host, let scheme = url.scheme else { return .failure(nil, "invalid address") }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let address: SocketAddress
        do {
            let bare = host.trimmingCharacters(in: ["[", "]"])
            address = try await NIOThreadPool.singleton.runIfActive { try SocketAddress.makeAddressResolvingHost(bare, port: port) }
        } catch {
            return .failure(nil, "the host name did not resolve")
        }
        let reach = NetworkAddress.reach(of: address)
        guard reach == .publicInternet || (reach == .loopback && site.settings.webhookAllowLocal), let ip = address.ipAddress else {
            return .failure(nil, "refused: the address is not on the public internet")
        }
        if scheme != "https" && !(scheme == "http" && reach == .loopback) { return .failure(nil, "refused: not HTTPS") }
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: Self.timeout, read: Self.timeout))
        configuration.dnsOverride = [host: ip]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { Task { try? await client.shutdown() } }
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Commons-Webhooks")
        request.headers.add(name: "Commons-Event", value: delivery.event.rawValue)
        request.headers.add(name: "Commons-Delivery", value: delivery.id.uuidString.lowercased())
        let timestamp = Int(site.clock.now.timeIntervalSince1970)
        request.headers.add(
            name: "Commons-Signature",
            value: WebhookSignature.header(secret: delivery.secret, timestamp: timestamp, body: delivery.body)
        )
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        do {
            let response = try await client.execute(request, timeout: Self.timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            return (200..<300).contains(status) ? .success(status) : .failure(status, "the partner answered \(status)")
        } catch {
            return .failure(nil, "no answer: \(String(describing: type(of: error)))")
        }
    }
}
