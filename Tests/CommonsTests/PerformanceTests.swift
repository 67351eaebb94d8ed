import CommonsContent
import CommonsCore
import CommonsMail
import CommonsOrganizing
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CommonsWeb

/// The page cache, HTTP validators and the group-commit writer: what they must get right.
/// How fast they are is the benchmark's business (`bench/run.sh`), not these tests'.
@Suite("Performance features")
struct PerformanceTests {
    @Test func test_a_published_post_and_an_edited_document_show_at_once() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await site.run { client async throws in
            // Every page below is rendered once and kept before anything changes.
            for path in ["/", "/news", "/category/victories", "/feed"] {
                _ = try await client.get(path)
            }
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let fields = [("title", "Parents win class size cap"), ("body", "We won."), ("status", "published"), ("categories", "Victories")]
            #expect(try await editor.post(client, "/admin/posts", fields + [("intent", "save")]).status == .seeOther)
            for path in ["/", "/news", "/category/victories", "/feed"] {
                #expect(try await client.get(path).text.contains("Parents win class size cap"), "\(path) shows the new post")
            }

            let forms = StaffEditorTests()
            let uploaded = try await forms.upload(
                client,
                editor,
                "/admin/documents",
                fields: [("title", "Rally flyer"), ("description", "Where and when.")],
                file: ("flyer.pdf", Data("%PDF-1.4\nflyer\n%%EOF\n".utf8))
            )
            let editURL = try #require(uploaded.headers[.location])
            #expect(try await client.get("/documents/rally-flyer").text.contains("Where and when."))
            let edited = try await forms.upload(
                client,
                editor,
                editURL,
                fields: [("title", "Rally flyer"), ("slug", "rally-flyer"), ("description", "Moved to City Hall.")],
                file: nil
            )
            #expect(edited.status == .seeOther)
            let page = try await client.get("/documents/rally-flyer").text
            #expect(page.contains("Moved to City Hall."))
            #expect(!page.contains("Where and when."))
        }
    }

    @Test func test_a_change_made_on_another_server_shows_within_the_check_interval() async throws {
        var arranged = try await TestSite.make()
        arranged.settings.contentCheckInterval = .seconds(3)
        let site = arranged
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await site.run { first async throws in
            try await site.run { second async throws in
                let editor = try #require(try await StaffBrowser.signIn(first, email: "ed@example.org"))
                let warmed = ContinuousClock.now
                #expect(!(try await second.get("/news").text.contains("Parents win class size cap")))
                let fields = [("title", "Parents win class size cap"), ("body", "We won."), ("status", "published")]
                #expect(try await editor.post(first, "/admin/posts", fields + [("intent", "save")]).status == .seeOther)
                #expect(try await first.get("/news").text.contains("Parents win class size cap"))
                // The second server answers from memory until it next reads the content version
                // (asserted only while the interval has surely not passed, so a slow machine cannot fail it)...
                let stale = try await second.get("/news").text
                if ContinuousClock.now - warmed < .milliseconds(2500) { #expect(!stale.contains("Parents win class size cap")) }
                // ...which it does once the interval has passed (polled, with room for a loaded machine).
                try await Task.sleep(until: warmed + .seconds(3))
                var seen = false
                while !seen, ContinuousClock.now < warmed + .seconds(30) {
                    seen = try await second.get("/news").text.contains("Parents win class size cap")
                    if !seen { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(seen, "the second server shows the change after its check interval")
            }
        }
    }

    @Test func test_validators_answer_304_and_cached_pages_keep_both_encodings() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let first = try await client.get("/news")
            let etag = try #require(first.headers[.eTag])
            let lastModified = try #require(first.headers[.lastModified])
            #expect(HTTPDate.parse(lastModified) != nil)
            let cached = try await client.get("/news")
            #expect(cached.headers[.eTag] == etag)
            #expect(cached.text == first.text)
            #expect(try await client.get("/news", headers: [.ifNoneMatch: "\"other\", \(etag)"]).status == .notModified)
            #expect(try await client.get("/news", headers: [.ifNoneMatch: "\"other\""]).status == .ok)
            #expect(try await client.get("/news", headers: [.ifModifiedSince: lastModified]).status == .notModified)
            #expect(try await client.get("/news", headers: [.ifModifiedSince: "Sat, 01 Jan 2000 00:00:00 GMT"]).status == .ok)
            // An ETag that does not match wins over a date that would.
            #expect(try await client.get("/news", headers: [.ifNoneMatch: "\"other\"", .ifModifiedSince: lastModified]).status == .ok)

            let zipped = try await client.get("/news", headers: [.acceptEncoding: "gzip"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.headers[.eTag] == "\"\(etag.dropFirst().dropLast())-gz\"")
            var compressed = zipped.body
            #expect(String(buffer: try compressed.decompress(with: .gzip())) == first.text)
            #expect(try await client.get("/news", headers: [.acceptEncoding: "gzip", .ifNoneMatch: etag]).status == .ok)
            #expect(try await client.get("/news").headers[.contentEncoding] == nil)
        }
    }

    @Test func test_search_and_form_pages_are_never_kept() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let one = try await client.get("/campaigns/sanctuary-schools")
            let two = try await client.get("/campaigns/sanctuary-schools")
            #expect(try formToken(in: one.text) != formToken(in: two.text), "each visitor gets a fresh form token")
            let search = try await client.get("/search?q=class+size")
            #expect(search.headers[.cacheControl] == "private, no-store")
            #expect(search.headers[.eTag] == nil)
        }
    }

    @Test func test_http_dates_round_trip() {
        let date = Date(timeIntervalSince1970: 784_111_777)
        #expect(HTTPDate.string(date) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == date)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
    }

    @Test func test_least_recently_used_pages_leave_first_and_a_new_version_empties_the_cache() async throws {
        let version = VersionBox()
        let cache = PageCache(capacity: 10 * 1024, checkInterval: .zero) { version.value }
        func page(_ size: Int) -> PageCache.Entry {
            PageCache.Entry(
                headers: [:],
                body: ByteBuffer(repeating: 0x61, count: size),
                gzipped: nil,
                etag: "x",
                lastModified: "",
                storedAt: .now
            )
        }
        let current = try #require(await cache.currentVersion())
        func isKept(_ key: String, version: Int64? = nil) async -> Bool {
            if case .hit = await cache.lookup(key, version: version ?? current) { return true }
            return false
        }
        cache.store(page(2000), for: "/a", version: current)
        cache.store(page(2000), for: "/b", version: current)
        cache.store(page(2000), for: "/c", version: current)
        #expect(await isKept("/a"))  // /a is now the most recently used
        cache.store(page(2000), for: "/d", version: current)
        cache.store(page(2000), for: "/e", version: current)
        #expect(cache.usage.bytes <= 10 * 1024)
        #expect(!(await isKept("/b")), "the least recently used page left first")
        #expect(await isKept("/a"))
        #expect(await isKept("/e"))
        // A page rendered before a change is not kept under the new version.
        version.value += 1
        let next = try #require(await cache.currentVersion())
        #expect(cache.usage.pages == 0)
        cache.store(page(100), for: "/old", version: current)
        #expect(!(await isKept("/old", version: next)))
    }

    @Test func test_a_crowd_asking_for_a_page_being_rendered_waits_for_that_one_render() async throws {
        let cache = PageCache(capacity: 1024 * 1024, checkInterval: .seconds(600), maximumAge: .seconds(600)) { 1 }
        let version = try #require(await cache.currentVersion())
        let page = PageCache.Entry(headers: [:], body: ByteBuffer(string: "page"), gzipped: nil, etag: "p", lastModified: "", storedAt: .now)
        guard case .render(claimed: true) = await cache.lookup("/", version: version) else {
            Issue.record("the first request renders")
            return
        }
        let crowd = Task {
            await withTaskGroup(of: String?.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        if case .hit(let entry) = await cache.lookup("/", version: version) { return String(buffer: entry.body) }
                        return nil
                    }
                }
                return await group.reduce(into: [String?]()) { $0.append($1) }
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        cache.finish("/", entry: page, version: version)
        let answers = await crowd.value
        #expect(answers.count == 20)
        #expect(answers.allSatisfy { $0 == "page" }, "every waiting request got the one render")

        // Past its age the page is rendered again by one request; the others get it as it was meanwhile.
        let aging = PageCache(capacity: 1024 * 1024, checkInterval: .seconds(600), maximumAge: .milliseconds(100)) { 1 }
        let current = try #require(await aging.currentVersion())
        guard case .render(claimed: true) = await aging.lookup("/", version: current) else { return }
        aging.finish("/", entry: page, version: current)
        try await Task.sleep(for: .milliseconds(300))
        guard case .render(claimed: true) = await aging.lookup("/", version: current) else {
            Issue.record("one request renders an expired page again")
            return
        }
        guard case .hit = await aging.lookup("/", version: current) else {
            Issue.record("the others are served the page as it was")
            return
        }
        aging.finish("/", entry: nil, version: current)
        // A render that produced nothing to keep lets the next request render for itself.
        guard case .render(claimed: true) = await cache.lookup("/other", version: version) else { return }
        let waiter = Task { await cache.lookup("/other", version: version) }
        try await Task.sleep(for: .milliseconds(50))
        cache.finish("/other", entry: nil, version: version)
        guard case .render(claimed: false) = await waiter.value else {
            Issue.record("a waiter whose render failed renders itself")
            return
        }
    }

    @Test func test_fingerprinted_asset_names_change_when_the_file_changes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("site.css")
        try Data("body { color: black }".utf8).write(to: file)
        let before = try Assets(directory: folder).path("site.css")
        try Data("body { color: navy }".utf8).write(to: file)
        let after = try Assets(directory: folder).path("site.css")
        #expect(before.hasPrefix("/assets/site.") && after.hasPrefix("/assets/site."))
        #expect(before != after)
    }

    func concurrentSignUps(_ backend: TestDatabase.Backend) async throws {
        let clock = TestClock()
        var arranged = try await TestSite.make(backend, clock: clock.clock)
        arranged.settings.formRateLimit = 0
        let site = arranged
        defer { Task { await site.destroy() } }
        let people = 120
        try await site.run { client async throws in
            var tokens: [String] = []
            for _ in 0..<people { tokens.append(try formToken(in: try await client.get("/campaigns/sanctuary-schools").text)) }
            clock.advance(by: 5)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (index, token) in tokens.enumerated() {
                    group.addTask {
                        let fields = [
                            ("form_token", token), ("given_name", "Person \(index)"), ("email", "person\(index)@example.org"),
                            ("postal_code", "10007"),
                        ]
                        return try await client.post("/campaigns/sanctuary-schools", form: fields).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count == people)
            #expect(statuses.allSatisfy { $0 == .seeOther }, "every sign-up is acknowledged: \(Set(statuses))")
        }
        try await site.withStore { store async throws in
            #expect(try await Action.query(on: store.database).count() == people)
            #expect(try await Supporter.query(on: store.database).count() == people)
            #expect(try await SupporterTag.query(on: store.database).count() == people)
            // Each one's thanks, queued in its group's transaction, each once.
            let confirmations = try await OutboxMessage.query(on: store.database).filter(\.$kind == .confirmation).all()
            #expect(confirmations.count == people)
            #expect(Set(confirmations.compactMap(\.supporterID)).count == people)
        }
    }

    @Test func test_many_simultaneous_sign_ups_all_succeed_on_sqlite() async throws { try await concurrentSignUps(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_many_simultaneous_sign_ups_all_succeed_on_postgres() async throws { try await concurrentSignUps(.postgres) }
}

/// A version number a test moves by hand.
final class VersionBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Int64 = 1
    var value: Int64 {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
