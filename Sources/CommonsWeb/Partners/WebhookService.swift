import CommonsPartners
import CommonsStorage
import Logging
import ServiceLifecycle

/// Webhooks inside the server: every `webhookInterval` it queues deliveries for what changed
/// and sends what is due; once a day it forgets finished deliveries older than a month.
struct WebhookService: Service, CustomStringConvertible {
    let site: Site
    let logger: Logger

    var description: String { "WebhookService" }

    func run() async throws {
        let dispatch = WebhookDispatch(site: site, logger: logger)
        if case .sqlite = site.settings.database {
            // One server on one file: claims left by a crash are this server's own.
            try await dispatch.queue.releaseClaims()
        }
        try? await cancelWhenGracefulShutdown {
            var lastForgetting: ContinuousClock.Instant?
            while !Task.isCancelled {
                var busy = false
                do {
                    busy = try await dispatch.collect() == WebhookDispatch.batch
                    busy = try await dispatch.deliverDue() > 0 || busy
                    if lastForgetting.map({ ContinuousClock.now - $0 >= .seconds(86_400) }) ?? true {
                        lastForgetting = ContinuousClock.now
                        try await dispatch.queue.forgetFinished()
                    }
                } catch {
                    logger.error("webhooks failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                }
                if !busy { try await Task.sleep(for: site.settings.webhookInterval) }
            }
        }
    }
}
