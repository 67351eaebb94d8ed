import CommonsAccounts
import CommonsAudit
import CommonsCore
import CommonsOrganizing
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CommonsPartners
@testable import CommonsWeb

/// Webhooks to a real HTTP receiver (Python's http.server), through the real application:
/// registered by an admin, signed, retried after a 500, turned off after three days of
/// failures, and never sent into a private network.
@Suite("Webhooks")
struct WebhookTests {
    static func site(_ backend: TestDatabase.Backend, clock: TestClock) async throws -> TestSite {
        var site = try await TestSite.make(backend, clock: clock.clock)
        site.settings.webhookAllowLocal = true
        site.settings.webhookInterval = .milliseconds(100)
        site.settings.formRateLimit = 0
        try await addStaff(site, email: "admin@example.org", role: .admin)
        return site
    }

    /// Registers a webhook through the staff page; answers its secret.
    static func register(_ client: any TestClientProtocol, _ browser: StaffBrowser, url: String, events: [WebhookEvent]) async throws -> String {
        let fields = [("url", url)] + events.map { (StaffWebhookRoutes.fieldName($0), "yes") }
        let page = try await browser.post(client, "/admin/webhooks", fields)
        #expect(page.status == .ok)
        return try #require(page.text.firstMatch(of: /whsec_[0-9a-f]{64}/).map { String($0.output) })
    }

    func signedDeliveredAndRetried(_ backend: TestDatabase.Backend) async throws {
        let receiver = try WebhookReceiver(statuses: [500])
        defer { receiver.stop() }
        let clock = TestClock()
        let site = try await Self.site(backend, clock: clock)
        defer { Task { await site.destroy() } }
        try await site.run { client in
            let admin = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            let secret = try await Self.register(client, admin, url: receiver.url, events: [.personCreated, .submissionCreated])
            try receiver.trust(secret)
            #expect(!(try await admin.get(client, "/admin/webhooks").text.contains(secret)), "the secret is shown once")

            let signed = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Maria"), ("email", "maria@example.org"), ("email_opt_in", "yes")]
            )
            #expect(signed.status == .seeOther)
            // Two deliveries; the first attempt that arrives is answered 500.
            let first = try await receiver.waitForRequests(2)
            #expect(first.count == 2)
            #expect(first.compactMap { $0["status"] as? Int }.sorted() == [200, 500])
            // The retry comes a minute after the failure is recorded (on a loaded machine the
            // receiver can answer before the server has written the 500 down: wait for that).
            try await waitUntil {
                try await site.withStore { store in
                    try await WebhookDelivery.query(on: store.database).filter(\.$attempts == 1).count() == 2
                }
            }
            clock.advance(by: 61)
            let all = try await receiver.waitForRequests(3)
            #expect(all.count == 3)
            for request in all {
                #expect(request["verified"] as? Bool == true, "Python's hmac accepts the signature")
                let headers = try #require(request["headers"] as? [String: String])
                #expect(headers["Content-Type"] == "application/json")
                #expect(headers["Commons-Delivery"]?.count == 36)
            }
            func deliveryID(_ request: [String: Any]) -> String? { (request["headers"] as? [String: String])?["Commons-Delivery"] }
            let refused = try #require(all.first { $0["status"] as? Int == 500 })
            let again = try #require(all.last)
            #expect(deliveryID(again) == deliveryID(refused), "the retry is the same delivery, for the receiver to recognise")
            #expect(again["status"] as? Int == 200)
            let bodies = all.compactMap { $0["body"] as? String }.compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            let events = Set(bodies.compactMap { $0["event"] as? String })
            #expect(events == ["person.created", "submission.created"])
            let created = try #require(bodies.first { $0["event"] as? String == "person.created" })
            let person = try #require(created["osdi:person"] as? [String: Any])
            #expect((person["email_addresses"] as? [[String: Any]])?.first?["address"] as? String == "maria@example.org")
            let submission = try #require(bodies.first { $0["event"] as? String == "submission.created" })
            #expect(submission["osdi:submission"] != nil)
            #expect((all.first?["headers"] as? [String: String])?["Commons-Event"] != nil)
            // Our own check agrees with Python's.
            let body = Array(try #require(again["body"] as? String).utf8)
            let header = try #require((again["headers"] as? [String: String])?["Commons-Signature"])
            #expect(WebhookSignature.verify(header: header, secret: secret, body: body, now: clock.clock.now))
            #expect(!WebhookSignature.verify(header: header, secret: secret + "x", body: body, now: clock.clock.now))

            // The staff page lists the deliveries with their answers.
            let id = try await site.withStore { store in try await Webhook.query(on: store.database).first()!.requireID() }
            try await waitUntil {
                try await site.withStore { store in
                    try await WebhookDelivery.query(on: store.database).filter(\.$status == .delivered).count() == 2
                }
            }
            let page = try await admin.get(client, "/admin/webhooks/\(id)")
            #expect(page.text.contains("<td>500</td>") || page.text.contains("<td>200</td>"))
            #expect(page.text.contains("Delivered"))
            #expect(!page.text.contains("maria@example.org"), "the staff page lists deliveries, not what they carried")
        }
    }

    @Test func test_webhooks_are_signed_delivered_and_retried_after_a_500_on_sqlite() async throws {
        try await signedDeliveredAndRetried(.sqlite)
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_webhooks_are_signed_delivered_and_retried_after_a_500_on_postgres() async throws {
        try await signedDeliveredAndRetried(.postgres)
    }

    @Test func test_a_webhook_failing_for_three_days_is_turned_off_and_the_admins_see_why() async throws {
        let receiver = try WebhookReceiver(statuses: Array(repeating: 503, count: 100))
        defer { receiver.stop() }
        let clock = TestClock()
        let site = try await Self.site(.sqlite, clock: clock)
        defer { Task { await site.destroy() } }
        try await site.run { client in
            let admin = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            _ = try await Self.register(client, admin, url: receiver.url, events: [.personUnsubscribed, .personCreated])
            _ = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, [("given_name", "Ana"), ("email", "ana@example.org")])
            #expect(try await receiver.waitForRequests(1).count == 1)
            // Each retry fails; three days on, the webhook is off.
            for (attempt, step) in ([61, 301, 1501, 7201, 3 * 86_400] as [TimeInterval]).enumerated() {
                // Each failure is written down before the clock moves, so the retry's time is known.
                try await waitUntil {
                    try await site.withStore { store in
                        try await WebhookDelivery.query(on: store.database).first()?.attempts == attempt + 1
                    }
                }
                let before = receiver.requests().count
                clock.advance(by: step)
                _ = try await receiver.waitForRequests(before + 1, seconds: 5)
            }
            let id = try await site.withStore { store in try await Webhook.query(on: store.database).first()!.requireID() }
            try await waitUntil { try await site.withStore { store in try await Webhook.find(id, on: store.database)?.active == false } }
            // Nothing more is sent to it until an admin turns it on again.
            let count = receiver.requests().count
            clock.advance(by: 7200)
            try await Task.sleep(for: .milliseconds(500))
            #expect(receiver.requests().count == count)
            // The admins see why; one turns it back on.
            let back = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            let page = try await back.get(client, "/admin/webhooks/\(id)")
            #expect(page.text.contains("turned off after three days"))
            #expect(page.text.contains("Last error: the partner answered 503"))
            #expect(try await back.get(client, "/admin/webhooks").text.contains("Turned off"))
            let lines = try await site.withStore { store in
                try await AuditEntry.query(on: store.database).filter(\.$action == "webhook.disabled").count()
            }
            #expect(lines == 1)
            #expect(try await back.post(client, "/admin/webhooks/\(id)/enable").status == .seeOther)
            #expect(try await site.withStore { store in try await Webhook.find(id, on: store.database)?.active } == true)
        }
    }

    @Test func test_webhooks_to_private_addresses_are_refused_at_registration_and_delivery() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let clock = TestClock()
        var made = try await Self.site(.sqlite, clock: clock)
        made.settings.webhookAllowLocal = false
        let site = made
        defer { Task { await site.destroy() } }
        try await site.run { client in
            let admin = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            for url in [
                "http://example.org/hook", "https://10.0.0.7/hook", "https://192.168.1.2/", "https://169.254.169.254/latest/meta-data",
                "https://[::1]/", "https://[fd00::1]/", "https://localhost/", receiver.url, "https://user:pw@example.org/", "not a url",
            ] {
                let page = try await admin.post(client, "/admin/webhooks", [("url", url), ("event_person_created", "yes")])
                #expect(page.status == .unprocessableContent, "\(url)")
            }
            let none = try await admin.post(client, "/admin/webhooks", [("url", "https://partner.example.org/hook")])
            #expect(none.status == .unprocessableContent, "no events chosen")
        }
        // At delivery the name is resolved and checked again: a name for the loopback is refused.
        let (_, built, app) = try await site.routedApplication()
        try await app.test(.router) { _ in
            let dispatch = WebhookDispatch(site: built, logger: TestDatabase.logger)
            let delivery = ClaimedDelivery(
                id: UUID(),
                webhookID: UUID(),
                url: "http://localhost:\(receiver.port)/hooks/commons",
                secret: "whsec_test",
                event: .personCreated,
                body: Array("{}".utf8),
                attempts: 0,
                createdAt: Date()
            )
            guard case .failure(nil, let reason) = await dispatch.send(delivery) else {
                Issue.record("a delivery to the loopback went out")
                return
            }
            #expect(reason.contains("not on the public internet"))
            #expect(receiver.requests().isEmpty)
        }
    }

    @Test func test_addresses_are_judged_by_where_they_lead() throws {
        func reach(_ ip: String) throws -> NetworkAddress.Reach { NetworkAddress.reach(of: try SocketAddress(ipAddress: ip, port: 443)) }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"] { #expect(try reach(ip) == .publicInternet, "\(ip)") }
        for ip in ["127.0.0.1", "127.9.9.9", "::1"] { #expect(try reach(ip) == .loopback, "\(ip)") }
        for ip in [
            "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
            "255.255.255.255", "fe80::1", "fc00::1", "fd12:3456::1", "::", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            #expect(try reach(ip) != .publicInternet, "\(ip)")
        }
    }
}

/// Polls `condition` until it holds, for at most `seconds`.
func waitUntil(seconds: Double = 20, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("condition not met within \(seconds) s")
}
