import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve` speaking HTTPS itself: the real binary with a test certificate, reached by
/// AsyncHTTPClient (someone else's TLS and HTTP/2), the certificate replaced and read again on
/// SIGHUP, and the plain-HTTP port that only redirects.
@Suite("HTTPS without a proxy", .serialized)
struct TLSTests {
    /// A self-signed certificate for localhost and 127.0.0.1, made by openssl.
    static func makeCertificate(in folder: URL, name: String) async throws -> (certificate: String, key: String) {
        let certificate = folder.appendingPathComponent("\(name).crt").path
        let key = folder.appendingPathComponent("\(name).key").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "2", "-subj", "/CN=\(name)", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        await openssl.exited()
        #expect(openssl.terminationStatus == 0)
        return (certificate, key)
    }

    /// A client that trusts only `certificate`.
    static func client(trusting certificate: String, http1Only: Bool = false) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        if http1Only { configuration.httpVersion = .http1Only }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The answer and the HTTP version it came in, or nil when the connection failed (an untrusted certificate).
    static func fetch(_ url: String, with client: HTTPClient) async -> (status: Int, version: HTTPVersion, location: String?)? {
        defer { _ = client.shutdown() }
        guard let response = try? await client.execute(HTTPClientRequest(url: url), timeout: .seconds(3)) else { return nil }
        _ = try? await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.version, response.headers.first(name: "Location"))
    }

    @Test(.enabled(if: ServerProcessTests.executable != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func test_https_with_http2_a_certificate_read_again_on_sighup_and_a_redirecting_http_port() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await Self.makeCertificate(in: folder, name: "first")
        let second = try await Self.makeCertificate(in: folder, name: "second")
        let live = (certificate: folder.appendingPathComponent("live.crt").path, key: folder.appendingPathComponent("live.key").path)
        try FileManager.default.copyItem(atPath: first.certificate, toPath: live.certificate)
        try FileManager.default.copyItem(atPath: first.key, toPath: live.key)

        let port = ServerProcessTests.freePort()
        let redirectPort = ServerProcessTests.freePort()
        let server = Process()
        server.executableURL = ServerProcessTests.executable
        server.arguments = ["serve", "--port", String(port)]
        server.environment = [
            "COMMONS_DATA_DIR": folder.appendingPathComponent("data").path, "COMMONS_TLS_CERT": live.certificate, "COMMONS_TLS_KEY": live.key,
            "COMMONS_HTTP_REDIRECT_PORT": String(redirectPort), "COMMONS_BASE_URL": "https://localhost:\(port)", "LOG_LEVEL": "warning",
            "PATH": "/usr/bin:/bin",
        ]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let url = "https://localhost:\(port)/healthz"
        var answer: (status: Int, version: HTTPVersion, location: String?)?
        for _ in 0..<100 where answer == nil {
            answer = await Self.fetch(url, with: try Self.client(trusting: first.certificate))
            if answer == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        // HTTP/2 negotiated for a client that offers it; HTTP/1.1 for one that does not.
        #expect(answer?.status == 200 && answer?.version == .http2)
        let older = await Self.fetch(url, with: try Self.client(trusting: first.certificate, http1Only: true))
        #expect(older?.status == 200 && older?.version == .http1_1)
        // The certificate served is the first: a client that trusts only the second is refused.
        #expect(await Self.fetch(url, with: try Self.client(trusting: second.certificate)) == nil)

        // A renewed certificate is read on SIGHUP; the server keeps running.
        try FileManager.default.removeItem(atPath: live.certificate)
        try FileManager.default.removeItem(atPath: live.key)
        try FileManager.default.copyItem(atPath: second.certificate, toPath: live.certificate)
        try FileManager.default.copyItem(atPath: second.key, toPath: live.key)
        kill(server.processIdentifier, SIGHUP)
        var renewed: (status: Int, version: HTTPVersion, location: String?)?
        for _ in 0..<50 where renewed == nil {
            renewed = await Self.fetch(url, with: try Self.client(trusting: second.certificate))
            if renewed == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(renewed?.status == 200)
        #expect(server.isRunning)
        #expect(await Self.fetch(url, with: try Self.client(trusting: first.certificate)) == nil)

        // The plain-HTTP port sends everyone to https, path and query kept, and serves nothing.
        let plain = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let redirect = await Self.fetch("http://127.0.0.1:\(redirectPort)/news?page=2", with: plain)
        #expect(redirect?.status == 301)
        #expect(redirect?.location == "https://localhost:\(port)/news?page=2")
    }
}
