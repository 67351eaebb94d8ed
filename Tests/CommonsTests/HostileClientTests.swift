import CommonsAccounts
import CommonsStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// Every route of the live router, public and staff (as each role), asked with extreme values in
/// every path parameter, the query parameters pages read, form fields and headers: the process
/// must stay up, answer no 5xx, and answer each within two seconds.
@Suite("Hostile client")
struct HostileClientTests {
    static let values: [String] = [
        "9223372036854775807", "-9223372036854775808", "-1", "0", "99999999999999999999999", "1e308", "NaN",
        "%FF%FE%C0%AF", "%00%01%0A%0D%09", "99999-12-31T25:61", "0000-00-00T00:00", "..%2F..%2Fetc%2Fpasswd",
        String(repeating: "%F0%9D%95%8F", count: 500), "%E2%80%AE%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%27%20OR%201%3D1%20--",
        String(repeating: "a", count: 20_000), String(repeating: "[", count: 5000),
    ]

    static let formFields = [
        "given_name", "family_name", "email", "phone", "postal_code", "preferred_language", "role", "school", "email_opt_in", "sms_opt_in",
        "guests", "form_token", "website", "title", "slug", "summary", "body", "status", "publish_at", "categories", "tags", "kind",
        "description", "petition_text", "goal", "starts_at", "ends_at", "time_zone", "venue", "address", "online_url", "capacity",
        "tag", "q", "name", "password", "site_name", "featured", "body_format", "featured_document", "via", "areas", "contact", "position",
        "embed_origins", "remove_logo", "primary_color", "accent_color", "remove_social_image",
    ]

    static func headers(_ value: String, cookie: String?) -> HTTPFields {
        let decoded = value.removingPercentEncoding ?? value
        let printable = String(decoded.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }.prefix(4000).map(Character.init))
        var fields: HTTPFields = [
            .ifModifiedSince: "Wed, 01 Jan 99999999999 00:00:00 GMT", .ifNoneMatch: "\"\(printable)\"", .range: "bytes=\(printable)-",
            .acceptLanguage: "\(printable);q=99999999999, zz-ZZ;q=-1", .acceptEncoding: "gzip;q=\(printable)",
            .origin: "http://\(printable)", .ifRange: printable,
        ]
        fields[.cookie] =
            (cookie.map { $0 + "; " } ?? "") + "commons_language=\(printable); commons_device=\(printable)~\(printable)"
        return fields
    }

    @Test func test_every_route_survives_extreme_values_as_every_role() async throws {
        var made = try await TestSite.make()
        made.settings.formRateLimit = 0
        let site = made
        defer { Task { await site.destroy() } }
        for role in Role.allCases { try await addStaff(site, email: "\(role.rawValue)@example.org", role: role) }
        let (router, _, app) = try await site.routedApplication()
        let routes = router.routes.map { (method: $0.method, path: $0.path.description) }
        let clock = ContinuousClock()
        let asked = Counter()
        try await app.test(.router) { client async throws in
            var personas: [(String, StaffBrowser?)] = [("anonymous", nil)]
            for role in Role.allCases {
                personas.append((role.rawValue, try #require(try await StaffBrowser.signIn(client, email: "\(role.rawValue)@example.org"))))
            }
            for route in routes where !route.path.hasSuffix("/logout") {
                for (index, value) in Self.values.enumerated() {
                    let segments = route.path.split(separator: "/").map { $0.hasPrefix(":") || $0 == "*" ? value : String($0) }
                    let query = ["page", "q", "next", "r", "p", "page_id", "cat", "attachment_id", "campaign", "event", "from", "to", "language"]
                        .map { "\($0)=\(value)" }.joined(separator: "&")
                    // Every other value also under a language prefix.
                    let prefix = index % 2 == 0 ? "" : "/es"
                    let uri = prefix + "/" + segments.joined(separator: "/") + "?" + query
                    let (persona, browser) = personas[index % personas.count]
                    var headers = Self.headers(value, cookie: browser?.cookie)
                    var body: ByteBuffer?
                    if route.method != .get && route.method != .head {
                        headers[.contentType] = "application/x-www-form-urlencoded"
                        let decoded = value.removingPercentEncoding ?? value
                        body = formBody([("csrf_token", browser?.csrf ?? decoded)] + Self.formFields.map { ($0, decoded) })
                        headers[.origin] = nil
                    }
                    let started = clock.now
                    let response = try await client.execute(uri: uri, method: route.method, headers: headers, body: body)
                    let took = clock.now - started
                    asked.increment()
                    #expect(response.status.code < 500, "\(persona) \(route.method) \(uri.prefix(200)) → \(response.status)")
                    #expect(took < .seconds(2), "\(persona) \(route.method) \(uri.prefix(200)) took \(took)")
                }
            }
            // A body of 10 MB to every form, once: refused, never read whole, never a 5xx.
            let huge = ByteBuffer(string: "given_name=" + String(repeating: "x", count: 10_000_000))
            for route in routes where route.method == .post {
                let path = "/" + route.path.split(separator: "/").map { $0.hasPrefix(":") ? "x" : String($0) }.joined(separator: "/")
                let response = try await client.execute(
                    uri: path,
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: personas[3].1?.cookie ?? ""],
                    body: huge
                )
                #expect(response.status.code < 500, "\(route.method) \(path) with 10 MB → \(response.status)")
            }
            #expect(try await client.get("/healthz").status == .ok)
        }
        #expect(asked.value > routes.count * 10)
    }
}
