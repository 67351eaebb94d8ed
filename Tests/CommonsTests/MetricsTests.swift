import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

@Suite("Metrics")
struct MetricsTests {
    static let token = "0123456789abcdef0123456789abcdef"

    /// Every line of Prometheus's text format is a comment (`# HELP`, `# TYPE`) or a sample:
    /// a name, labels in braces with quoted values, and a number.
    static func samples(_ text: String) -> [(name: String, labels: String, value: Double)] {
        var samples: [(String, String, Double)] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") { continue }
            let match = line.wholeMatch(of: #/([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)/#)
            #expect(match != nil, "not Prometheus text: \(line)")
            guard let match, let value = Double(match.output.3) ?? (match.output.3 == "+Inf" ? .infinity : nil) else { continue }
            samples.append((String(match.output.1), String(match.output.2 ?? ""), value))
        }
        return samples
    }

    @Test func test_metrics_on_the_public_port_need_the_token_and_count_routes_not_paths() async throws {
        var site = try await TestSite.make()
        let database = site.database
        defer { Task { await database.destroy() } }
        site.settings.metricsToken = Self.token
        try await site.run { client async throws in
            for _ in 0..<3 { _ = try await client.get("/news/cej-calls-for-sanctuary-schools") }
            _ = try await client.get("/no/such/page")
            #expect(try await client.get("/metrics").status == .unauthorized)
            let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer not-the-token-0123456789abcdef"])
            #expect(wrong.status == .unauthorized)
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.token)"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-store")
            let text = response.text
            let samples = Self.samples(text)
            let post = samples.first {
                $0.name == "commons_http_requests_total" && $0.labels.contains(#"route="/news/{slug}""#) && $0.labels.contains(#"status="200""#)
            }
            #expect(post?.value == 3)
            #expect(samples.contains { $0.name == "commons_http_request_duration_seconds_bucket" && $0.labels.contains(#"route="/news/{slug}""#) })
            #expect(samples.contains { $0.name == "commons_page_cache_lookups_total" && $0.labels.contains(#"result="hit""#) && $0.value >= 1 })
            #expect(samples.contains { $0.name == "commons_page_cache_size_bytes" && $0.value > 0 })
            #expect(samples.contains { $0.name == "commons_process_resident_memory_bytes" && $0.value > 1_000_000 })
            #expect(samples.contains { $0.name == "commons_database_connections" && $0.labels.contains(#"state="open""#) && $0.value == 1 })
            // Raw paths never become labels.
            #expect(!text.contains("cej-calls-for-sanctuary-schools") && !text.contains("/no/such/page"))
        }
        // Without a token set, the public port has no /metrics at all.
        site.settings.metricsToken = nil
        try await site.run { client async throws in #expect(try await client.get("/metrics").status == .notFound) }
    }

    @Test func test_the_metrics_port_serves_metrics_and_nothing_else_and_sign_ups_show_as_batches() async throws {
        let clock = TestClock()
        var site = try await TestSite.make(clock: clock.clock)
        let database = site.database
        defer { Task { await database.destroy() } }
        let port = try Nginx.freePort()
        site.settings.metricsPort = port
        try await site.runLive { client async throws in
            _ = try await client.fillAndSend("/campaigns/sanctuary-schools", clock: clock, canary)
            var answer = (status: 0, body: "")
            for _ in 0..<50 where answer.status != 200 {
                answer = (try? await RawConnection.exchange(port: port, from: "127.0.0.1", "GET", "/metrics")) ?? (0, "")
                if answer.status != 200 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(answer.status == 200)
            let samples = Self.samples(answer.body)
            #expect(samples.contains { $0.name == "commons_action_writer_batch_size_actions_count" && $0.value >= 1 })
            #expect(samples.contains { $0.name == "commons_action_writer_commit_duration_seconds_count" && $0.value >= 1 })
            // The sign-up's confirmation waits in the outbox (no mail server is set).
            #expect(samples.contains { $0.name == "commons_mail_outbox_messages" && $0.labels.contains(#"status="queued""#) && $0.value == 1 })
            #expect(samples.contains { $0.name == "commons_mail_outbox_messages" && $0.labels.contains(#"status="sent""#) && $0.value == 0 })
            #expect(!answer.body.contains("Zanzibarina") && !answer.body.contains("canary"))
            #expect(try await RawConnection.exchange(port: port, from: "127.0.0.1", "GET", "/").status == 404)
        }
    }

    /// On PostgreSQL the connections are the database's own count, by state, every server's.
    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_metrics_count_the_database_connections_on_postgres() async throws {
        var site = try await TestSite.make(.postgres)
        let database = site.database
        defer { Task { await database.destroy() } }
        site.settings.metricsToken = Self.token
        try await site.run { client async throws in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.token)"])
            let active = Self.samples(response.text).first { $0.name == "commons_database_connections" && $0.labels.contains(#"state="active""#) }
            #expect((active?.value ?? 0) >= 1)
        }
    }
}
