import CommonsOrganizing
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

extension TestClientProtocol {
    /// A sign-up as it arrives through a proxy: the form page and the post both carry `headers`.
    func signUp(through headers: HTTPFields, clock: TestClock, number: Int) async throws -> TestResponse {
        let path = "/campaigns/sanctuary-schools"
        let token = try formToken(in: try await execute(uri: path, method: .get, headers: headers, body: nil).text)
        clock.advance(by: 5)
        var posted = headers
        posted[.contentType] = "application/x-www-form-urlencoded"
        let fields = [("form_token", token), ("given_name", "P\(number)"), ("email", "p\(number)@example.org")]
        return try await execute(uri: path, method: .post, headers: posted, body: formBody(fields))
    }
}

@Suite("Behind a proxy")
struct ProxyTests {
    static func forwarded(_ chain: String, proto: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: chain]
        if let proto { headers[HTTPField.Name("X-Forwarded-Proto")!] = proto }
        return headers
    }

    @Test func test_the_proxy_list_reads_addresses_and_ranges_and_refuses_anything_else() throws {
        let proxies = try #require(TrustedProxies("127.0.0.1, 10.0.0.0/8 ,::1, fd00::/8"))
        for inside in ["127.0.0.1", "10.1.2.3", "::1", "fd12::5", "::ffff:10.9.9.9"] { #expect(proxies.contains(inside), "\(inside)") }
        for outside in ["127.0.0.2", "11.0.0.1", "::2", "fe80::1", "", "localhost", "10.0.0.1/8", "1.2.3.4 "] {
            #expect(!proxies.contains(outside), "\(outside)")
        }
        for bad in ["10.0.0.0/33", "::/129", "10.0.0.0/-1", "example.org", "10.0.0.1/", "300.1.1.1", "10.0.0.0/0008"] {
            #expect(TrustedProxies(bad) == nil, "\(bad)")
        }
        #expect(try #require(TrustedProxies("0.0.0.0/0")).contains("198.51.100.7"))
    }

    @Test func test_the_client_is_the_right_most_address_no_trusted_proxy_added() throws {
        let proxies = try #require(TrustedProxies("127.0.0.1, 10.0.0.0/8"))
        func client(_ peer: String, xff: String? = nil, forwarded: String? = nil, proto: String? = nil) -> (String?, Bool?) {
            let found = proxies.client(peer: peer, forwardedFor: xff, forwarded: forwarded, forwardedProto: proto)
            return (found.address, found.https)
        }
        // From a stranger the headers mean nothing.
        #expect(client("198.51.100.7", xff: "203.0.113.1", proto: "https") == ("198.51.100.7", nil))
        // From a proxy: the last hop that is not ours; a forged left part changes nothing.
        #expect(client("127.0.0.1", xff: "203.0.113.1") == ("203.0.113.1", nil))
        #expect(client("127.0.0.1", xff: "1.1.1.1, 203.0.113.1, 10.0.0.5") == ("203.0.113.1", nil))
        #expect(client("127.0.0.1", xff: "10.0.0.6, 10.0.0.5") == ("10.0.0.6", nil))
        #expect(client("127.0.0.1", xff: "garbage, 203.0.113.1", proto: "https") == ("203.0.113.1", true))
        #expect(client("127.0.0.1", xff: "203.0.113.1, garbage") == ("127.0.0.1", nil))
        #expect(client("127.0.0.1", proto: "http") == ("127.0.0.1", false))
        // RFC 7239, when there is no X-Forwarded-For.
        #expect(client("127.0.0.1", forwarded: #"for="[2001:db8::7]:4711";proto=https, for=10.0.0.5"#) == ("2001:db8::7", true))
        #expect(client("127.0.0.1", forwarded: "for=192.0.2.60:8080;proto=http") == ("192.0.2.60", false))
    }

    @Test func test_behind_a_trusted_proxy_each_visitor_has_their_own_form_limit() async throws {
        let clock = TestClock()
        var site = try await TestSite.make(clock: clock.clock)
        let database = site.database
        defer { Task { await database.destroy() } }
        site.settings.formRateLimit = 2
        site.settings.trustedProxies = try #require(TrustedProxies("127.0.0.1, ::1"))
        try await site.runLive { client async throws in
            let first = Self.forwarded("203.0.113.1")
            #expect(try await client.signUp(through: first, clock: clock, number: 1).status == .seeOther)
            #expect(try await client.signUp(through: first, clock: clock, number: 2).status == .seeOther)
            #expect(try await client.signUp(through: first, clock: clock, number: 3).status == .tooManyRequests)
            // Another visitor through the same proxy is not refused with the first.
            let second = Self.forwarded("198.51.100.9, 127.0.0.1")
            #expect(try await client.signUp(through: second, clock: clock, number: 4).status == .seeOther)
            // A visitor cannot escape their limit by writing an address in front of the proxy's.
            let forged = Self.forwarded("192.0.2.1, 203.0.113.1")
            #expect(try await client.signUp(through: forged, clock: clock, number: 5).status == .tooManyRequests)
        }
    }

    @Test func test_from_an_untrusted_peer_forwarding_headers_change_nothing() async throws {
        let clock = TestClock()
        var site = try await TestSite.make(clock: clock.clock)
        let database = site.database
        defer { Task { await database.destroy() } }
        site.settings.formRateLimit = 2
        site.settings.baseURL = "http://commons.test"
        try await site.runLive { client async throws in
            for number in 1...2 {
                let spoofed = Self.forwarded("203.0.113.\(number)", proto: "https")
                #expect(try await client.signUp(through: spoofed, clock: clock, number: number).status == .seeOther)
            }
            #expect(try await client.signUp(through: Self.forwarded("203.0.113.99"), clock: clock, number: 3).status == .tooManyRequests)
            // Nor does a claimed https make cookies Secure or send HSTS on a plain-http site.
            let language = try await client.execute(uri: "/language/es?next=/", method: .get, headers: Self.forwarded("1.1.1.1", proto: "https"))
            #expect(language.headers[.setCookie]?.contains("Secure") == false)
            #expect(language.headers[.strictTransportSecurity] == nil)
        }
    }

    @Test func test_a_trusted_proxy_that_says_https_gets_secure_cookies_and_hsts() async throws {
        var site = try await TestSite.make()
        let database = site.database
        defer { Task { await database.destroy() } }
        site.settings.baseURL = "http://commons.test"
        site.settings.trustedProxies = try #require(TrustedProxies("127.0.0.1, ::1"))
        try await site.runLive { client async throws in
            let secure = try await client.execute(uri: "/language/es?next=/", method: .get, headers: Self.forwarded("203.0.113.1", proto: "https"))
            #expect(secure.headers[.setCookie]?.contains("; Secure") == true)
            #expect(secure.headers[.strictTransportSecurity] == "max-age=31536000; includeSubDomains")
            let plain = try await client.execute(uri: "/language/es?next=/", method: .get, headers: Self.forwarded("203.0.113.1", proto: "http"))
            #expect(plain.headers[.setCookie]?.contains("Secure") == false)
            #expect(plain.headers[.strictTransportSecurity] == nil)
        }
    }

    /// Through a real nginx configured as `docs/DEPLOY.md` says: visitors from two addresses
    /// each get their own form limit, though every connection the server sees is nginx's.
    @Test(.enabled(if: Nginx.binary != nil, "set COMMONS_TEST_NGINX to nginx's binary (CI does)"))
    func test_through_a_real_nginx_the_form_limit_counts_each_real_client() async throws {
        let clock = TestClock()
        var site = try await TestSite.make(clock: clock.clock)
        let database = site.database
        defer { Task { await database.destroy() } }
        site.settings.formRateLimit = 2
        site.settings.trustedProxies = try #require(TrustedProxies("127.0.0.1"))
        try await site.runLive { client async throws in
            let nginx = try Nginx(binary: try #require(Nginx.binary), upstream: try #require(client.port))
            defer { nginx.stop() }
            func signUp(from source: String, _ number: Int) async throws -> Int {
                let page = try await RawConnection.exchange(port: nginx.port, from: source, "GET", "/campaigns/sanctuary-schools")
                #expect(page.status == 200)
                let token = try formToken(in: page.body)
                clock.advance(by: 5)
                let body = String(buffer: formBody([("form_token", token), ("given_name", "N\(number)"), ("email", "n\(number)@example.org")]))
                let type = "application/x-www-form-urlencoded"
                return try await RawConnection.exchange(
                    port: nginx.port,
                    from: source,
                    "POST",
                    "/campaigns/sanctuary-schools",
                    body: body,
                    type: type
                )
                .status
            }
            #expect(try await signUp(from: "127.0.0.2", 1) == 303)
            #expect(try await signUp(from: "127.0.0.2", 2) == 303)
            #expect(try await signUp(from: "127.0.0.2", 3) == 429)
            #expect(try await signUp(from: "127.0.0.3", 4) == 303)
        }
        try await site.withStore { store async throws in
            #expect(try await Supporter.query(on: store.database).count() == 3)
        }
    }
}
