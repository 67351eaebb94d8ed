import CommonsContent
import CommonsStorage
import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

@Suite("Public pages")
struct PublicPagesTests {
    @Test func test_unknown_path_gets_a_real_404_page() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            for path in [
                "/no-such-page", "/news/no-such-post", "/documents/no-such-document", "/campaigns/nothing", "/news/page/9", "/news/page/0",
                "/news/page/abc",
            ] {
                let response = try await client.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.text.contains("<h1>Page not found</h1>"), "\(path)")
                #expect(response.text.contains("<html lang=\"en\""))
            }
        }
    }

    @Test func test_head_answers_like_get_without_a_body() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            for path in ["/", "/news/cej-calls-for-sanctuary-schools", "/documents/12-8-16-cej-press-release/file", "/feed"] {
                let get = try await client.get(path)
                let head = try await client.execute(uri: path, method: .head)
                #expect(head.status == .ok, "\(path)")
                #expect(head.body.readableBytes == 0)
                #expect(head.headers[.contentType] == get.headers[.contentType])
            }
            #expect(try await client.execute(uri: "/no-such-page", method: .head).status == .notFound)
        }
    }

    @Test func test_public_pages_revalidate_with_etags_and_travel_gzipped_when_accepted() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let plain = try await client.get("/")
            let etag = try #require(plain.headers[.eTag])
            #expect(plain.headers[.cacheControl] == "public, max-age=0, must-revalidate")
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.vary] == "Accept-Encoding, Accept-Language, Cookie")
            let again = try await client.get("/", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)

            let zipped = try await client.get("/", headers: [.acceptEncoding: "br, gzip;q=0.8"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.headers[.eTag] != etag)
            #expect(zipped.body.readableBytes < plain.body.readableBytes)
            var compressed = zipped.body
            let unzipped = try compressed.decompress(with: .gzip())
            #expect(String(buffer: unzipped) == plain.text)
            #expect(try await client.get("/", headers: [.acceptEncoding: "gzip;q=0"]).headers[.contentEncoding] == nil)

            // A page with a form token is private: no ETag, no shared caching.
            let campaign = try await client.get("/campaigns/sanctuary-schools", headers: [.acceptEncoding: "gzip"])
            #expect(campaign.headers[.eTag] == nil)
            #expect(campaign.headers[.cacheControl] == "private, no-store")
        }
    }

    @Test func test_first_news_page_redirects_to_news() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let response = try await client.get("/news/page/1")
            #expect(response.status == .movedPermanently)
            #expect(response.headers[.location] == "/news")
        }
    }

    @Test func test_post_page_shows_title_date_byline_terms_and_documents() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let response = try await client.get("/news/cej-calls-for-sanctuary-schools")
            #expect(response.status == .ok)
            let html = response.text
            #expect(html.contains("<h1>CEJ Calls For “Sanctuary Schools”</h1>"))
            #expect(html.contains("<title>CEJ Calls For “Sanctuary Schools” – NYC Coalition for Educational Justice</title>"))
            #expect(html.contains("<time datetime=\"2016-12-08\">December 8, 2016</time>"))
            #expect(html.contains("By NYC Coalition for Educational Justice"))
            #expect(html.contains("<link rel=\"canonical\" href=\"https://commons.test/news/cej-calls-for-sanctuary-schools\">"))
            #expect(html.contains("<meta property=\"og:type\" content=\"article\">"))
            #expect(html.contains("Confronting Bias and Protecting Our Communities</a> <span class=\"meta\">(PDF,"))
        }
    }

    @Test func test_document_page_and_file() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let page = try await client.get("/documents/12-8-16-cej-press-release")
            #expect(page.status == .ok)
            #expect(page.text.contains("<a class=\"button\" href=\"/documents/12-8-16-cej-press-release/file\""))

            let file = try await client.get("/documents/12-8-16-cej-press-release/file")
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "application/pdf")
            #expect(file.headers[.contentDisposition] == "inline; filename=\"12-8-16-cej-press-release.pdf\"")
            #expect(file.headers[.xContentTypeOptions] == "nosniff")
            #expect(file.headers[.contentLength] == String(file.body.readableBytes))
            let bytes = String(buffer: file.body)
            #expect(bytes.hasPrefix("%PDF-1.4"))
            #expect(bytes.contains("stands in for CEJ's press release"))
            #expect(bytes.hasSuffix("%%EOF\n"))

            let etag = try #require(file.headers[.eTag])
            let revalidated = try await client.get("/documents/12-8-16-cej-press-release/file", headers: [.ifNoneMatch: etag])
            #expect(revalidated.status == .notModified)

            let range = try await client.get("/documents/12-8-16-cej-press-release/file", headers: [.range: "bytes=0-7"])
            #expect(range.status == .partialContent)
            #expect(String(buffer: range.body) == "%PDF-1.4")
            #expect(range.headers[.contentRange] == "bytes 0-7/\(file.body.readableBytes)")

            let beyond = try await client.get("/documents/12-8-16-cej-press-release/file", headers: [.range: "bytes=999999-"])
            #expect(beyond.status == .rangeNotSatisfiable)
        }
    }

    @Test func test_health_reports_the_database_after_a_real_query() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let response = try await client.get("/healthz")
            #expect(response.status == .ok)
            #expect(response.text == #"{"status":"ok","database":"sqlite"}"#)
            #expect(response.headers[.contentType] == "application/json")
        }
    }

    @Test func test_health_answers_503_when_the_database_does_not_answer() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let store = try await CommonsDatabase.open(site.database.location, logger: TestDatabase.logger)
        let app = try await buildApplication(settings: site.settings, services: site.services, store: store, logger: TestDatabase.logger)
        try await app.test(.router) { client async throws in
            #expect(try await client.get("/healthz").status == .ok)
            await store.shutdown()
            let response = try await client.get("/healthz")
            #expect(response.status == .serviceUnavailable)
            #expect(response.text == #"{"status":"unavailable","database":"sqlite"}"#)
        }
    }

    @Test func test_every_response_carries_the_security_headers() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            #expect(try await client.get("/admin/login").headers[.cacheControl] == "no-store")
            for path in ["/", "/no-such-page", "/healthz", "/documents/12-8-16-cej-press-release/file", "/admin/login", "/admin/posts"] {
                let response = try await client.get(path)
                #expect(
                    response.headers[.contentSecurityPolicy]
                        == "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
                    "\(path)"
                )
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[HTTPField.Name("Permissions-Policy")!]?.contains("camera=()") == true)
                // The test site's base URL is https.
                #expect(response.headers[.strictTransportSecurity] != nil)
            }
        }
    }

    @Test func test_pages_load_nothing_from_another_origin() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            for path in ["/", "/news", "/news/cej-calls-for-sanctuary-schools", "/documents", "/platform", "/campaigns/sanctuary-schools"] {
                let html = try await client.get(path).text
                for attribute in ["src=\"", "href=\""] {
                    var rest = Substring(html)
                    while let found = rest.range(of: attribute) {
                        let value = rest[found.upperBound...].prefix { $0 != "\"" }
                        // Only the canonical and Open Graph URLs are absolute, and they name this site.
                        if value.hasPrefix("http") || value.hasPrefix("//") {
                            #expect(value.hasPrefix("https://commons.test/"), "\(path) refers to \(value)")
                        }
                        rest = rest[found.upperBound...]
                    }
                }
            }
        }
    }

    @Test func test_stylesheet_is_served_under_its_fingerprint_and_cached_for_a_year() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let html = try await client.get("/").text
            let start = try #require(html.range(of: "<link rel=\"stylesheet\" href=\""))
            let path = String(html[start.upperBound...].prefix { $0 != "\"" })
            #expect(path.hasPrefix("/assets/site.") && path.hasSuffix(".css"))
            let css = try await client.get(path)
            #expect(css.status == .ok)
            #expect(css.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(css.text.contains(".skip-link"))
            #expect(try await client.get("/assets/site.0000.css").status == .notFound)
        }
    }
}
