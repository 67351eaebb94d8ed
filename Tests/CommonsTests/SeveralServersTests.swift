import AsyncHTTPClient
import CommonsAccounts
import CommonsOrganizing
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Two real `commons` servers on one PostgreSQL behind a real nginx, as a coalition grows into:
/// they start (and migrate) at once, sign-ups through nginx land once each, a post published on
/// one is served by the other within two seconds, and when one is killed mid-load nginx's retry
/// and the survivor lose no acknowledged sign-up.
@Suite("Several servers", .serialized)
struct SeveralServersTests {
    static var ready: Bool { ServerProcessTests.executable != nil && TestDatabase.postgresAvailable && Nginx.binary != nil }

    let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool = .init(idleTimeout: .seconds(5), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    func get(_ url: String, cookie: String? = nil) async throws -> (status: Int, text: String, headers: HTTPHeaders) {
        var request = HTTPClientRequest(url: url)
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        let response = try await client.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 22)), response.headers)
    }

    func post(_ url: String, _ body: String, cookie: String? = nil) async throws -> (status: Int, headers: HTTPHeaders) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), response.headers)
    }

    /// Form tokens for `count` sign-ups through `base`, then the time a person takes.
    func tokens(_ count: Int, base: String) async throws -> [String] {
        var tokens: [String] = []
        for _ in 0..<count { tokens.append(try formToken(in: try await get("\(base)/campaigns/sanctuary-schools").text)) }
        try await Task.sleep(for: .milliseconds(3200))
        return tokens
    }

    @Test(.enabled(if: ready, "needs the commons executable, COMMONS_TEST_POSTGRES_URL and COMMONS_TEST_NGINX (.ci/run sets them)"))
    func test_two_servers_on_one_postgres_behind_nginx_lose_nothing() async throws {
        do {
            try await twoServers()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    func twoServers() async throws {
        let database = try await TestDatabase.make(.postgres)
        defer { Task { await database.destroy() } }
        guard case .postgres(let url) = database.location else { return }
        let folder = database.folder
        let environment = ["DATABASE_URL": url, "COMMONS_TRUSTED_PROXIES": "127.0.0.1"]
        // Both start at once: one migrates, the other waits for it.
        let a = try DurabilityTests.Server(folder: folder.appendingPathComponent("a"), port: ServerProcessTests.freePort(), environment: environment)
        let b = try DurabilityTests.Server(folder: folder.appendingPathComponent("b"), port: ServerProcessTests.freePort(), environment: environment)
        defer {
            for server in [a, b] where server.process.isRunning { server.process.terminate() }
        }
        try await a.waitUntilHealthy(client: client)
        try await b.waitUntilHealthy(client: client)
        let nginx = try Nginx(binary: try #require(Nginx.binary), upstreams: [a.port, b.port])
        defer { nginx.stop() }
        let front = "http://127.0.0.1:\(nginx.port)"
        let store = try await CommonsDatabase.open(database.location, logger: TestDatabase.logger)
        let vault = SupporterVault(keys: try DataKeys(material: Data(base64Encoded: DurabilityTests.key)!))

        // Sign-ups through nginx, spread over both servers, each stored once.
        let first = try await tokens(30, base: front)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, token) in first.enumerated() {
                group.addTask {
                    try await post("\(front)/campaigns/sanctuary-schools", "form_token=\(token)&given_name=Both&email=both\(index)%40example.org")
                        .status
                }
            }
            for try await status in group { #expect(status == 303) }
        }
        #expect(try await Supporter.query(on: store.database).count() == 30)
        #expect(try await Action.query(on: store.database).count() == 30)

        // A post published on A is served by B within two seconds.
        let before = try await get("http://127.0.0.1:\(b.port)/news")
        #expect(before.status == 200)
        try await StaffDirectory(database: store.database, clock: .system).add(
            email: "editor@example.org",
            name: "",
            role: .editor,
            password: staffPassword,
            by: nil
        )
        let login = try await get("http://127.0.0.1:\(a.port)/admin/login")
        let signIn = try await post(
            "http://127.0.0.1:\(a.port)/admin/login",
            "form_token=\(try formToken(in: login.text))&email=editor%40example.org&password=\(staffPassword)"
        )
        #expect(signIn.status == 303)
        let cookie = try #require(signIn.headers["Set-Cookie"].first { $0.hasPrefix("commons_session=") }.map { String($0.prefix { $0 != ";" }) })
        let csrf = try #require(csrfToken(in: try await get("http://127.0.0.1:\(a.port)/admin", cookie: cookie).text))
        let published = try await post(
            "http://127.0.0.1:\(a.port)/admin/posts",
            "csrf_token=\(csrf)&title=Served+everywhere&body=From+one+server+to+the+other.&status=published",
            cookie: cookie
        )
        #expect(published.status == 303)
        let start = ContinuousClock.now
        var seen = false
        while !seen, ContinuousClock.now - start < .seconds(2) {
            seen = try await get("http://127.0.0.1:\(b.port)/news").text.contains("Served everywhere")
            if !seen { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(seen, "B still served its old /news two seconds after A published")

        // B is killed while sign-ups arrive; nginx sends what B did not answer to A.
        let second = try await tokens(90, base: front)
        let acknowledged = Acknowledgements()
        let pid = b.process.processIdentifier
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while await acknowledged.count < 20 { try? await Task.sleep(for: .milliseconds(2)) }
                kill(pid, SIGKILL)
            }
            for (index, token) in second.enumerated() {
                group.addTask {
                    let body = "form_token=\(token)&given_name=Survivor&email=survivor\(index)%40example.org"
                    if let answer = try? await post("\(front)/campaigns/sanctuary-schools", body), answer.status == 303 {
                        await acknowledged.add(index)
                    }
                }
            }
        }
        await b.process.exited()
        #expect(b.process.terminationReason == .uncaughtSignal)
        let answered = await acknowledged.indices
        #expect(answered.count == 90, "nginx and the surviving server answered every sign-up")
        var missing: [Int] = []
        for index in answered where try await vault.supporter(withEmail: "survivor\(index)@example.org", on: store.database) == nil {
            missing.append(index)
        }
        #expect(missing.isEmpty, "acknowledged but not stored: \(missing)")
        // Each stored once, retries included.
        #expect(try await Supporter.query(on: store.database).count() == 30 + 90)
        await store.shutdown()
    }
}
