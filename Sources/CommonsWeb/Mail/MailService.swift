import CommonsMail
import CommonsStorage
import Logging
import ServiceLifecycle

/// Email inside the server: every `schedulerInterval` it queues what is due (reminders,
/// cancellation notices, scheduled mailings), every hour it forgets old bodies, and in between
/// it sends what the outbox holds through the relay, when one is configured. Without one, mail
/// waits.
struct MailService: Service, CustomStringConvertible {
    let site: Site
    let logger: Logger

    /// What the service lifecycle logs at start: the name only, never the settings it holds.
    var description: String { "MailService" }

    func run() async throws {
        let settings = site.settings.mail
        if case .sqlite = site.settings.database {
            // One server on one file: claims left by a crash are this server's own.
            try await site.outbox.releaseClaims()
        }
        let delivery = settings.server.map { server in
            MailDelivery(
                outbox: site.outbox,
                database: site.database,
                server: server,
                sender: settings.sender(baseURL: site.settings.baseURL),
                rate: settings.rate,
                heloName: settings.sender(baseURL: site.settings.baseURL).domain,
                logger: logger
            )
        }
        if delivery == nil { logger.notice("COMMONS_SMTP_URL is not set: mail is queued, not sent") }
        try? await cancelWhenGracefulShutdown {
            var lastSchedule: ContinuousClock.Instant?
            var lastForgetting: ContinuousClock.Instant?
            while !Task.isCancelled {
                if lastSchedule.map({ ContinuousClock.now - $0 >= settings.schedulerInterval }) ?? true {
                    lastSchedule = ContinuousClock.now
                    do {
                        let started = ContinuousClock.now
                        let queued = try await site.queueDueMail()
                        if queued.messages > 0 {
                            logger.notice(
                                "Mail queued",
                                metadata: [
                                    "messages": "\(queued.messages)", "mailings": "\(queued.mailings)",
                                    "took": "\(ContinuousClock.now - started)",
                                ]
                            )
                        }
                        if lastForgetting.map({ ContinuousClock.now - $0 >= .seconds(3600) }) ?? true {
                            lastForgetting = ContinuousClock.now
                            try await site.outbox.forgetBodies(olderThan: settings.retentionDays)
                        }
                    } catch {
                        logger.error("queuing due mail failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                    }
                }
                var handled = 0
                if let delivery {
                    do {
                        handled = try await delivery.deliverReady()
                    } catch {
                        logger.error("mail delivery failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                    }
                }
                if handled == 0 { try await Task.sleep(for: .seconds(1)) }
            }
        }
        await delivery?.close()
    }
}
