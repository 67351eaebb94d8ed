import AsyncHTTPClient
import CommonsOrganizing
import CommonsPrivacy
import CommonsStorage
import Foundation
import NIOCore
import NIOHTTP1
import SQLKit
import Testing

/// A sign-up that was answered with success survives the server being killed right after.
@Suite("Durability", .serialized)
struct DurabilityTests {
    static let key = Data(repeating: 42, count: 32).base64EncodedString()

    final class Server: @unchecked Sendable {
        let process = Process()
        let port: Int

        init(folder: URL, port: Int, environment: [String: String] = [:]) throws {
            self.port = port
            process.executableURL = ServerProcessTests.executable
            process.arguments = ["serve", "--port", String(port)]
            process.environment = [
                "COMMONS_DATA_DIR": folder.path, "COMMONS_DATA_KEY": DurabilityTests.key, "COMMONS_FORM_RATE_LIMIT": "0", "LOG_LEVEL": "warning",
                "PATH": "/usr/bin:/bin",
            ].merging(environment) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        func waitUntilHealthy(client: HTTPClient) async throws {
            for _ in 0..<200 {
                if let response = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(1)),
                    response.status == .ok
                {
                    return
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("the server did not become healthy")
        }
    }

    @Test(.enabled(if: ServerProcessTests.executable != nil, "the commons executable is not built (run swift build first)"))
    func test_every_acknowledged_signup_survives_sigkill() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-durability-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool = .init(idleTimeout: .seconds(5), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await killMidway(client: client, folder: folder)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    func killMidway(client: HTTPClient, folder: URL) async throws {
        let port = ServerProcessTests.freePort()
        let server = try Server(folder: folder, port: port)
        try await server.waitUntilHealthy(client: client)
        let base = "http://127.0.0.1:\(port)"

        // Fresh form tokens for every submission, then the time a person takes to fill them.
        let total = 300
        var tokens: [String] = []
        for _ in 0..<total {
            let page = try await client.execute(HTTPClientRequest(url: "\(base)/campaigns/sanctuary-schools"), timeout: .seconds(10))
            let html = String(buffer: try await page.body.collect(upTo: 1 << 20))
            tokens.append(try formToken(in: html))
        }
        try await Task.sleep(for: .milliseconds(3200))

        let acknowledged = Acknowledgements()
        let pid = server.process.processIdentifier
        await withTaskGroup(of: Void.self) { group in
            // The killer: once a third of the sign-ups have their answer, SIGKILL.
            group.addTask {
                while await acknowledged.count < total / 3 { try? await Task.sleep(for: .milliseconds(2)) }
                kill(pid, SIGKILL)
            }
            for (index, token) in tokens.enumerated() {
                group.addTask {
                    var request = HTTPClientRequest(url: "\(base)/campaigns/sanctuary-schools")
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                    let body = "form_token=\(token)&given_name=Durable&email=durable\(index)%40example.org&email_opt_in=yes"
                    request.body = .bytes(ByteBuffer(string: body))
                    if let response = try? await client.execute(request, timeout: .seconds(30)), response.status == .seeOther {
                        await acknowledged.add(index)
                    }
                }
            }
        }
        await server.process.exited()
        #expect(server.process.terminationReason == .uncaughtSignal)
        let answered = await acknowledged.indices
        #expect(answered.count >= total / 3)
        #expect(answered.count < total, "the server was killed before it had answered everyone")

        // Start again on the same files: recovery from the WAL, then check every answer.
        let again = try Server(folder: folder, port: ServerProcessTests.freePort())
        try await again.waitUntilHealthy(client: client)
        again.process.terminate()
        await again.process.exited()

        var logger = TestDatabase.logger
        logger.logLevel = .error
        let store = try await CommonsDatabase.open(.sqliteFile(inDataDirectory: folder.path), logger: logger)
        let integrity = try await store.sql.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
        #expect(integrity == "ok")
        let vault = SupporterVault(keys: try DataKeys(material: Data(base64Encoded: Self.key)!))
        var missing: [Int] = []
        for index in answered where try await vault.supporter(withEmail: "durable\(index)@example.org", on: store.database) == nil {
            missing.append(index)
        }
        #expect(missing.isEmpty, "acknowledged but not stored: \(missing)")
        await store.shutdown()
    }
}

actor Acknowledgements {
    private(set) var indices: [Int] = []
    var count: Int { indices.count }
    func add(_ index: Int) { indices.append(index) }
}
