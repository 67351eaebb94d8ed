import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// Cached pages answered from the request's bytes, before NIO's HTTP decoder
/// (`CachedPageBytesHandler`): what is read there, and that a connection behaves as it would
/// without it. That its answers are the router's byte for byte is `CachingTests`' check.
@Suite("Answers from the request's bytes")
struct FastPathTests {
    static func head(_ text: String) -> SimpleRequestHead? {
        Array(text.utf8).withUnsafeBytes { SimpleRequestHead.parse($0) }
    }

    @Test func test_a_simple_head_is_read_and_anything_else_is_left_to_the_decoder() throws {
        let text = "GET /news?page=2 HTTP/1.1\r\nHost: commons.test\r\nAccept-Encoding:  gzip, br \t\r\nX-Empty:\r\n\r\n"
        let read = try #require(Self.head(text + "GET /next"))
        #expect(!read.isHead)
        #expect(read.target == "/news?page=2")
        #expect(read.fields.map(\.name) == ["Host", "Accept-Encoding", "X-Empty"])
        #expect(read.fields.map(\.value) == ["commons.test", "gzip, br", ""])
        #expect(read.length == text.utf8.count)
        #expect(Self.head("HEAD / HTTP/1.1\r\n\r\n")?.isHead == true)

        let refused = [
            "POST /campaigns/x HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.0\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n",  // not all here yet
            "GET / HTTP/1.1\nHost: a\n\n",  // bare line feeds
            "GET / HTTP/1.1\r\nX-A: b\r\n c\r\n\r\n",  // a folded line
            "GET / HTTP/1.1\r\nX-A: caf\u{e9}\r\n\r\n",  // not ASCII
            "GET / HTTP/1.1\r\nX-A: a\u{7}b\r\n\r\n",  // a control character
            "GET http://a/ HTTP/1.1\r\n\r\n",  // absolute form
            "GET /a b HTTP/1.1\r\n\r\n",
            "GET /a#b HTTP/1.1\r\n\r\n",
            "GET /a\"b HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost a\r\n\r\n",
            "GET / HTTP/1.1\r\n: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHo st: a\r\n\r\n",
            "GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 65) + "\r\n",
            "GET / HTTP/1.1\r\nX-A: " + String(repeating: "b", count: 9000) + "\r\n\r\n",
            "get / HTTP/1.1\r\n\r\n",
        ]
        for text in refused { #expect(Self.head(text) == nil, "\(text.debugDescription)") }
    }

    @Test func test_the_request_is_what_the_decoder_would_give_and_a_body_or_upgrade_goes_to_the_decoder() throws {
        let read = try #require(Self.head("GET /es/news HTTP/1.1\r\nHost: commons.test\r\nCookie: a=1; b=2\r\nConnection: keep-alive\r\n\r\n"))
        let request = try #require(CachedPageBytesHandler.request(from: read))
        #expect(request.method == .get)
        #expect(request.path == "/es/news")
        #expect(request.authority == "commons.test")
        // As NIOHTTPTypes splits it for HTTP/2: each cookie its own field, the first Host the authority.
        #expect(request.headerFields[values: .cookie] == ["a=1", "b=2"])
        #expect(!request.headerFields.contains { $0.name.canonicalName == "host" })
        for line in ["Content-Length: 0", "Transfer-Encoding: chunked", "Connection: upgrade", "Upgrade: h2c", "Expect: 100-continue"] {
            let other = try #require(Self.head("GET / HTTP/1.1\r\n\(line)\r\n\r\n"))
            #expect(CachedPageBytesHandler.request(from: other) == nil, "\(line)")
        }
        let twice = try #require(Self.head("GET / HTTP/1.1\r\nConnection: close\r\nConnection: close\r\n\r\n"))
        #expect(CachedPageBytesHandler.request(from: twice) == nil)
    }

    /// Answers from the cache, from the router and from the decoder's path, pipelined on one
    /// connection, come back in the order asked; half a head waits for the decoder.
    @Test func test_pipelined_requests_are_answered_in_order_whichever_path_answers_each() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let (_, built, app) = try await site.routedApplication()
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            let get = { (path: String) in "GET \(path) HTTP/1.1\r\nHost: commons.test\r\n\r\n" }
            var fromBytes = false
            for _ in 0..<5 where !fromBytes {
                // Rendered and kept through the router; then asked again at once.
                let warm = try RawConnection(port: port)
                warm.send(get("/news") + get("/feed"))
                #expect(await warm.readAnswers(2, within: 10).map(\.status) == [200, 200])
                let before = Self.bytesAnswers(await built.metrics.scrape(pageCache: nil, store: built.store))
                let connection = try RawConnection(port: port)
                connection.send(get("/news") + get("/healthz") + get("/feed") + get("/news") + get("/nowhere") + get("/feed"))
                let answers = await connection.readAnswers(6, within: 10)
                #expect(answers.map(\.status) == [200, 200, 200, 200, 404, 200])
                guard answers.count == 6 else { return }
                #expect(answers[0].body.contains("<html") && answers[3].body == answers[0].body)
                #expect(answers[1].head.lowercased().contains("content-type: application/json"))
                #expect(answers[2].body.contains("<rss") && answers[5].body == answers[2].body)
                // Half a head, then the rest: the decoder reads it, and the connection still works.
                connection.send("GET /ne")
                try await Task.sleep(for: .milliseconds(100))
                connection.send("ws HTTP/1.1\r\nHost: commons.test\r\n\r\n" + get("/feed"))
                let later = await connection.readAnswers(2, within: 10)
                #expect(later.map(\.status) == [200, 200])
                #expect(later.first?.body == answers[0].body)
                fromBytes = Self.bytesAnswers(await built.metrics.scrape(pageCache: nil, store: built.store)) > before
            }
            #expect(fromBytes, "no page was ever answered from its bytes")
        }
    }

    /// Requests answered from their bytes never reach Hummingbird's idle timer: the connection
    /// must stay open while it keeps asking, and still close once it stops.
    @Test func test_a_connection_answered_from_its_bytes_stays_open_while_busy_and_closes_when_idle() async throws {
        var made = try await TestSite.make()
        made.settings.connectionLimits.idleTimeout = .seconds(2)
        let site = made
        defer { Task { await site.destroy() } }
        let (_, built, app) = try await site.routedApplication()
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            let before = Self.bytesAnswers(await built.metrics.scrape(pageCache: nil, store: built.store))
            let connection = try RawConnection(port: port)
            let started = Date()
            var statuses: [Int] = []
            // Twice the idle timeout, a request every 0.3 s.
            while Date().timeIntervalSince(started) < 4.5 {
                connection.send("GET /news HTTP/1.1\r\nHost: commons.test\r\n\r\n")
                statuses += await connection.readAnswers(1, within: 3).map(\.status)
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(statuses.count >= 10 && statuses.allSatisfy { $0 == 200 }, "\(statuses)")
            let answered = Self.bytesAnswers(await built.metrics.scrape(pageCache: nil, store: built.store)) - before
            #expect(answered >= 3, "only \(answered) answered from their bytes")
            let quiet = Date()
            #expect(await connection.readUntilClosed(within: 6).closed)
            #expect(Date().timeIntervalSince(quiet) > 1.5)
        }
    }

    static func bytesAnswers(_ metrics: String) -> Int {
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("commons_page_cache_fast_path_answers_total{stage=\"bytes\"}") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }
}
