import CommonsContent
import FluentKit
import Foundation
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// Clients that hold sockets without finishing a request, on a real port: each is closed in
/// bounded time, and one address cannot take every connection.
@Suite("Slow clients", .serialized)
struct SlowClientTests {
    func makeSite() async throws -> TestSite {
        var site = try await TestSite.make()
        site.settings.connectionLimits.idleTimeout = .seconds(2)
        site.settings.connectionLimits.baseRequestTime = .seconds(3)
        site.settings.connectionLimits.connectionsPerClient = 4
        return site
    }

    @Test func test_a_client_that_sends_nothing_or_half_a_header_is_closed() async throws {
        let site = try await makeSite()
        defer { Task { await site.destroy() } }
        try await site.runLive { client async throws in
            let port = try #require(client.port)
            let silent = try RawConnection(port: port)
            let half = try RawConnection(port: port)
            half.send("GET /news HTTP/1.1\r\nHost: commons.test\r\nUser-Ag")
            #expect(await silent.readUntilClosed(within: 5).closed)
            #expect(await half.readUntilClosed(within: 5).closed)
            // Keep-alive: an answered connection that then says nothing is closed too.
            let idle = try RawConnection(port: port)
            idle.send("GET /healthz HTTP/1.1\r\nHost: commons.test\r\n\r\n")
            let answer = await idle.readUntilClosed(within: 10)
            #expect(answer.text.hasPrefix("HTTP/1.1 200"))
            #expect(answer.closed)
        }
    }

    @Test func test_a_body_trickled_a_byte_at_a_time_is_cut_off_at_its_deadline() async throws {
        let site = try await makeSite()
        defer { Task { await site.destroy() } }
        try await site.runLive { client async throws in
            let port = try #require(client.port)
            let slow = try RawConnection(port: port)
            slow.send(
                "POST /campaigns/sanctuary-schools HTTP/1.1\r\nHost: commons.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n"
            )
            let started = Date()
            var open = true
            // Half a second apart: never idle for the 2 s idle timeout, but far slower than any form.
            while open, Date().timeIntervalSince(started) < 8 {
                try await Task.sleep(for: .milliseconds(500))
                open = slow.send("a")
            }
            if open { open = await !slow.readUntilClosed(within: 2).closed }
            #expect(!open)
            #expect(Date().timeIntervalSince(started) < 7)
        }
    }

    @Test func test_an_oversized_content_length_is_refused_at_once_and_the_connection_closed() async throws {
        let site = try await makeSite()
        defer { Task { await site.destroy() } }
        try await site.runLive { client async throws in
            let port = try #require(client.port)
            let greedy = try RawConnection(port: port)
            greedy.send(
                "POST /campaigns/sanctuary-schools HTTP/1.1\r\nHost: commons.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000000\r\n\r\ngiven_name=a"
            )
            let answer = await greedy.readUntilClosed(within: 3)
            #expect(answer.text.hasPrefix("HTTP/1.1 413"), "\(answer)")
            #expect(answer.text.lowercased().contains("connection: close"))
            #expect(answer.closed)
        }
    }

    @Test func test_a_malformed_chunked_body_is_a_bad_request_not_a_server_error() async throws {
        let site = try await makeSite()
        defer { Task { await site.destroy() } }
        try await site.runLive { client async throws in
            let port = try #require(client.port)
            let broken = try RawConnection(port: port)
            broken.send(
                "POST /campaigns/sanctuary-schools HTTP/1.1\r\nHost: commons.test\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"
            )
            let answer = await broken.readUntilClosed(within: 3)
            #expect(answer.text.hasPrefix("HTTP/1.1 400"), "\(answer.text.prefix(40))")
            #expect(try await client.get("/healthz").status == .ok)
        }
    }

    @Test func test_one_address_holds_only_so_many_connections() async throws {
        let site = try await makeSite()
        defer { Task { await site.destroy() } }
        try await site.runLive { client async throws in
            let port = try #require(client.port)
            // Four raw connections fill the limit (the test client's own, if open, takes one of them).
            var held: [RawConnection] = []
            for _ in 0..<4 { held.append(try RawConnection(port: port)) }
            let refused = try RawConnection(port: port)
            // Closed at once by the server; the wait is long only for a loaded machine running the whole suite.
            #expect(await refused.readUntilClosed(within: 10).closed)
            // Closing them frees places.
            held.removeAll()
            try await Task.sleep(for: .milliseconds(200))
            let next = try RawConnection(port: port)
            next.send("GET /healthz HTTP/1.1\r\nHost: commons.test\r\n\r\n")
            #expect(await next.readUntilClosed(within: 3).text.hasPrefix("HTTP/1.1 200"))
            _ = held
        }
    }

    @Test func test_readers_that_take_nothing_do_not_hold_up_others_and_are_let_go() async throws {
        let site = try await makeSite()
        defer { Task { await site.destroy() } }
        try await site.run { _ in }  // loads the demo content
        // A 20 MB file: far more than the socket buffers on both sides hold, so the server's
        // writes stall on a reader that takes nothing.
        let size = 20 << 20
        try await site.withStore { store async throws in
            let document = try #require(try await Document.query(on: store.database).filter(\.$slug == "12-8-16-cej-press-release").first())
            let bytes = Data("%PDF-1.4\n".utf8) + Data(repeating: 0x20, count: size)
            try await DocumentLibrary(database: store.database, clock: .system).replaceFile(
                of: document.requireID(),
                fileName: "big.pdf",
                bytes: bytes
            )
        }
        try await site.runLive { client async throws in
            let port = try #require(client.port)
            // Eight readers on two addresses (the limit is four an address) ask and never read.
            var crowd: [RawConnection] = []
            for address in 2...3 {
                for _ in 0..<4 {
                    let reader = try RawConnection(port: port, from: "127.0.0.\(address)")
                    #expect(reader.send("GET /documents/12-8-16-cej-press-release/file HTTP/1.1\r\nHost: commons.test\r\n\r\n"))
                    crowd.append(reader)
                }
            }
            try await Task.sleep(for: .milliseconds(500))
            // Everyone else is answered meanwhile.
            let other = try RawConnection(port: port, from: "127.0.0.4")
            other.send("GET / HTTP/1.1\r\nHost: commons.test\r\nConnection: close\r\n\r\n")
            #expect(await other.readUntilClosed(within: 10).text.hasPrefix("HTTP/1.1 200"))
            // Past the 2 s idle time without taking a byte, each reader is let go: what it then
            // reads ends well short of the file.
            try await Task.sleep(for: .seconds(5))
            for reader in crowd {
                let read = await reader.readUntilClosed(within: 10)
                #expect(read.closed)
                #expect(read.text.hasPrefix("HTTP/1.1 200"))
                #expect(read.text.utf8.count < size / 2, "\(read.text.utf8.count) bytes")
            }
        }
    }
}
