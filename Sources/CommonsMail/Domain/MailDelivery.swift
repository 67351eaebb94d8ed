import CommonsCore
import CommonsOrganizing
import CommonsSMTP
import FluentKit
import Foundation
import Logging

/// Sends what the outbox holds through the relay, one reused connection, at most `rate`
/// messages a second. Each message is marked sent only after the relay's `250`; marks are
/// written in groups (at most a second late), so a crash can send a message a second time but
/// never lose one. Logs name rows and codes, never an address or a body.
public actor MailDelivery {
    public static let batchSize = 100

    let outbox: Outbox
    let database: any Database
    let server: SMTPServer
    let sender: MailSender
    let rate: Int
    let heloName: String
    let timeouts: SMTPTimeouts
    let logger: Logger
    private var connection: SMTPConnection?
    private var nextSlot = ContinuousClock.now

    public init(
        outbox: Outbox,
        database: any Database,
        server: SMTPServer,
        sender: MailSender,
        rate: Int,
        heloName: String,
        timeouts: SMTPTimeouts = SMTPTimeouts(),
        logger: Logger
    ) {
        self.outbox = outbox
        self.database = database
        self.server = server
        self.sender = sender
        self.rate = max(1, rate)
        self.heloName = heloName
        self.timeouts = timeouts
        self.logger = logger
    }

    /// Sends one batch of due messages; answers how many were taken (0: nothing is due).
    @discardableResult
    public func deliverReady() async throws -> Int {
        let batch = try await outbox.claim(limit: Self.batchSize)
        guard !batch.isEmpty else { return 0 }
        let suppressed = try await outbox.suppressed(among: batch.map(\.recipientIndex))
        let unsubscribed = try await unsubscribedSupporters(batch.filter { $0.kind == .mailing }.compactMap(\.supporterID))
        var sent: [UUID] = []
        var lastFlush = ContinuousClock.now
        for (position, message) in batch.enumerated() {
            if suppressed.contains(message.recipientIndex) || (message.kind == .mailing && message.supporterID.map(unsubscribed.contains) == true) {
                try await outbox.finish(message.id, as: .suppressed, reason: nil)
                continue
            }
            if Task.isCancelled {
                // Shutting down: what is sent is marked, the rest goes back for the next start.
                try await outbox.postpone(batch[position...].map(\.id), by: 0)
                break
            }
            do {
                await pace()
                let connection = try await openConnection()
                _ = try await connection.send(from: sender.address, to: message.recipient, message: message.content)
                sent.append(message.id)
            } catch let error as SMTPError {
                try await handle(error, for: message)
                switch error {
                case .configuration, .connection, .timeout:
                    // The relay is unreachable, hung or unusable: the rest of the batch waits a minute.
                    await dropConnection()
                    try await outbox.postpone(batch[(position + 1)...].map(\.id), by: 60)
                    try await outbox.markSent(sent)
                    return batch.count
                default:
                    break
                }
            }
            if ContinuousClock.now - lastFlush > .seconds(1) {
                try await outbox.markSent(sent)
                sent.removeAll()
                lastFlush = ContinuousClock.now
            }
        }
        try await outbox.markSent(sent)
        return batch.count
    }

    /// Closes the connection to the relay (at shutdown, or when nothing is due for a while).
    public func close() async {
        await dropConnection()
    }

    private func handle(_ error: SMTPError, for message: ClaimedMessage) async throws {
        switch error {
        case .temporary(let reply):
            logger.info("Mail deferred", metadata: ["outbox": "\(message.id)", "smtp": "\(reply.summary)"])
            try await outbox.retry(message, reason: reply.summary)
        case .connection, .timeout:
            logger.warning("Mail relay unreachable; will retry", metadata: ["outbox": "\(message.id)", "error": "\(error)"])
            try await outbox.retry(message, reason: "connection")
        case .recipientRefused(let reply):
            logger.notice("Mail address refused for good; suppressed", metadata: ["outbox": "\(message.id)", "smtp": "\(reply.summary)"])
            let outbox = self.outbox
            try await database.transaction { db in
                try await outbox.suppress(message.recipient, reason: "bounce \(reply.summary)", on: db)
                if let supporterID = message.supporterID {
                    try await Subscriptions(clock: outbox.clock).stop(supporterID, reason: .bounced, on: db)
                }
            }
            try await outbox.finish(message.id, as: .failed, reason: reply.summary)
        case .permanent(let reply):
            logger.notice("Mail refused", metadata: ["outbox": "\(message.id)", "smtp": "\(reply.summary)"])
            try await outbox.finish(message.id, as: .failed, reason: reply.summary)
        case .unsupported, .invalidAddress:
            logger.notice("Mail cannot be sent", metadata: ["outbox": "\(message.id)", "error": "\(error)"])
            try await outbox.finish(message.id, as: .failed, reason: "\(error)")
        case .configuration:
            logger.error("Mail settings cannot be used", metadata: ["error": "\(error)"])
            try await outbox.retry(message, reason: "configuration")
        }
    }

    private func openConnection() async throws -> SMTPConnection {
        if let connection, await connection.isOpen { return connection }
        await dropConnection()
        let opened = try await SMTPConnection.open(to: server, heloName: heloName, timeouts: timeouts)
        connection = opened
        return opened
    }

    private func dropConnection() async {
        if let connection { await connection.close() }
        connection = nil
    }

    /// Waits for this message's turn under `COMMONS_MAIL_RATE`.
    private func pace() async {
        let now = ContinuousClock.now
        if nextSlot > now { try? await Task.sleep(until: nextSlot, clock: .continuous) }
        nextSlot = max(nextSlot, now) + .nanoseconds(1_000_000_000 / Int64(rate))
    }

    private func unsubscribedSupporters(_ ids: [UUID]) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        return Set(try await Supporter.query(on: database).filter(\.$id ~~ ids).filter(\.$emailOptIn == false).all(\.$id))
    }
}
