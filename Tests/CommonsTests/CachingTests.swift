import CommonsContent
import CommonsOrganizing
import CommonsStorage
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// Caching is something a page asks for: everything else leaves as `private, no-store`.
@Suite("Caching")
struct CachingTests {
    /// Every public GET route of the router, filled with the demo's real slugs, in English and
    /// in Spanish.
    static func publicPaths(router: Router<AppRequestContext>, site: Site) async throws -> [String] {
        let store = site.store
        var slugs: [String: String] = [:]
        slugs["news"] = try await Post.query(on: store.database).first()?.slug
        slugs["documents"] = try await Document.query(on: store.database).first()?.slug
        slugs["campaigns"] = try await Campaign.query(on: store.database).first()?.slug
        slugs["category"] = try await Category.query(on: store.database).first()?.slug
        slugs["tag"] = try await Tag.query(on: store.database).first()?.slug
        slugs["page"] = try await Page.query(on: store.database).first()?.slug
        slugs["events"] = try await Event.query(on: store.database).first()?.slug
        let patterns = router.routes.filter { $0.method == .get }.map(\.path.description).filter { !$0.contains("admin") && !$0.contains("api") }
        return patterns.flatMap { pattern in
            let parts = pattern.split(separator: "/").map(String.init)
            let filled = parts.enumerated().map { index, part -> String in
                guard part.hasPrefix(":") else { return part }
                if part == ":page" { return "1" }
                if part == ":code" { return "es" }
                return slugs[index > 0 ? parts[index - 1] : "page"] ?? slugs["page"] ?? "x"
            }
            return ["/" + filled.joined(separator: "/"), "/es/" + filled.joined(separator: "/")]
        }
    }

    /// One answer as it came over the wire: the status line and headers (the `Date` value taken
    /// out: it is the only field that moves with the clock) and the body's bytes.
    struct WireAnswer: Equatable, CustomStringConvertible {
        let head: [String]
        let body: [UInt8]

        init?(_ bytes: [UInt8]) {
            let separator: [UInt8] = Array("\r\n\r\n".utf8)
            guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
            head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n").map { line in
                line.lowercased().hasPrefix("date: ") ? "date: (now)" : line
            }
            body = Array(bytes[(end + 4)...])
        }

        var status: String { head.first ?? "" }
        func header(_ name: String) -> String? {
            head.first { $0.lowercased().hasPrefix(name.lowercased() + ": ") }.map { String($0.dropFirst(name.count + 2)) }
        }
        var description: String { head.joined(separator: " | ") + " (\(body.count) bytes)" }
    }

    /// A cached page answered on the event loop, from the request's bytes
    /// (`CachedPageBytesHandler`) or after NIO decoded it (`CachedPageHandler`, which a header
    /// with a byte outside ASCII sends it to), and the same page answered through the router (a
    /// request pipelined behind another goes there) are the same bytes, headers and body, for
    /// every public page, plain and gzipped, 200 and 304, GET and HEAD.
    @Test func test_the_fast_path_answers_every_cached_page_byte_for_byte_as_the_router_does() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let (router, built, app) = try await site.routedApplication()
        let paths = try await Self.publicPaths(router: router, site: built)
        let metrics = built.metrics
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            @Sendable func fetch(_ lines: [String], path: String, method: String = "GET", behind first: String? = nil) async throws -> WireAnswer {
                let connection = try RawConnection(port: port)
                var text = ""
                // The request in front goes to the router, so the one behind it must too.
                if let first { text += "GET \(first) HTTP/1.1\r\nHost: commons.test\r\n\r\n" }
                text += "\(method) \(path) HTTP/1.1\r\nHost: commons.test\r\n" + lines.map { $0 + "\r\n" }.joined() + "Connection: close\r\n\r\n"
                connection.send(text)
                var bytes = await connection.readBytesUntilClosed(within: 10)
                if first != nil {
                    // Skip the answer in front: its Content-Length says where it ends.
                    let front = try #require(WireAnswer(bytes))
                    let length = Int(front.header("Content-Length") ?? "0") ?? 0
                    let headEnd = bytes.count - front.body.count
                    bytes = Array(bytes[(headEnd + length)...])
                }
                return try #require(WireAnswer(bytes), "\(path): no answer")
            }
            /// Answers on the fast path so far: from bytes, and after decoding.
            @Sendable func fastPathAnswers() async -> [Int] {
                let text = await metrics.scrape(pageCache: nil, store: built.store)
                return ["bytes", "decoded"].map { stage in
                    let line = text.split(separator: "\n").first { $0.hasPrefix("commons_page_cache_fast_path_answers_total{stage=\"\(stage)\"}") }
                    return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
                }
            }
            // Not ASCII: NIO's decoder reads it; the byte-level reader leaves it to the decoder.
            let decodedOnly = "X-Note: caf\u{e9}"
            var compared = 0
            for path in paths {
                let warm = try await fetch([], path: path)
                guard warm.header("Cache-Control") == HTTPCachingMiddleware.sharedCacheControl else { continue }
                let etag = try #require(warm.header("ETag"))
                let variants: [(String, [String])] = [
                    ("GET", []), ("GET", ["Accept-Encoding: gzip, deflate"]), ("GET", ["If-None-Match: \(etag)"]),
                    ("HEAD", ["Accept-Encoding: gzip"]), ("GET", ["Accept-Language: es", "Cookie: commons_language=zh"]),
                ]
                for (method, lines) in variants {
                    // Through the router first: the page is kept under this variant's key and the
                    // content version has just been read, so the next ones may be answered early
                    // (under a loaded machine more than a second may pass: then again).
                    var answered: (bytes: WireAnswer, decoded: WireAnswer)?
                    var counted: [Int] = []
                    for _ in 0..<5 where answered == nil {
                        _ = try await fetch(lines, path: path, method: method, behind: "/healthz")
                        let before = await fastPathAnswers()
                        let fromBytes = try await fetch(lines, path: path, method: method)
                        let decoded = try await fetch(lines + [decodedOnly], path: path, method: method)
                        counted = await fastPathAnswers()
                        if counted == [before[0] + 1, before[1] + 1] { answered = (fromBytes, decoded) }
                    }
                    let fast = try #require(answered, "\(method) \(path) \(lines) was never answered by both fast paths")
                    let routed = try await fetch(lines, path: path, method: method, behind: "/healthz")
                    #expect(await fastPathAnswers() == counted, "\(method) \(path) \(lines) behind another was answered by a fast path")
                    #expect(fast.bytes == routed, "\(method) \(path) \(lines):\n bytes  \(fast.bytes)\n router \(routed)")
                    #expect(fast.decoded == routed, "\(method) \(path) \(lines):\n decoded \(fast.decoded)\n router  \(routed)")
                    compared += 1
                }
            }
            // Pages of every kind were compared: home, news, posts, categories, tags, feeds,
            // sitemaps, documents, events, pages, in two languages.
            #expect(compared >= 5 * 15, "only \(compared) answers compared")
        }
    }

    /// Every public GET route, with the demo's real slugs, asked twice: a page with a form
    /// token or a cookie is never kept or marked public, and its token is new each time.
    @Test func test_no_page_with_a_form_token_or_a_cookie_is_ever_shared() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let (router, built, app) = try await site.routedApplication()
        let paths = try await Self.publicPaths(router: router, site: built)
        let asked = Counter()
        try await app.test(.router) { client async throws in
            for path in paths {
                do {
                    let first = try await client.get(path)
                    let second = try await client.get(path)
                    asked.increment()
                    for response in [first, second] {
                        let control = response.headers[.cacheControl] ?? ""
                        let personal = response.text.contains("name=\"form_token\"") || response.headers[.setCookie] != nil
                        if personal {
                            #expect(control.contains("no-store") && !control.contains("public"), "\(path): \(control)")
                        }
                        if control.isEmpty { Issue.record("\(path) answered without Cache-Control") }
                    }
                    if first.text.contains("name=\"form_token\"") {
                        #expect(try formToken(in: first.text) != formToken(in: second.text), "\(path) served the same form token twice")
                    }
                }
            }
            // What is shared is marked so, and revalidates.
            #expect(try await client.get("/").headers[.cacheControl] == "public, max-age=0, must-revalidate")
            #expect(try await client.get("/campaigns/sanctuary-schools").headers[.cacheControl] == "private, no-store")
            #expect(try await client.get("/search?q=school").headers[.cacheControl] == "private, no-store")
        }
        #expect(asked.value > 20)
    }
}
