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
    /// Every public GET route, with the demo's real slugs, asked twice: a page with a form
    /// token or a cookie is never kept or marked public, and its token is new each time.
    @Test func test_no_page_with_a_form_token_or_a_cookie_is_ever_shared() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let (router, built, app) = try await site.routedApplication()
        let store = built.store
        var found: [String: String] = [:]
        found["news"] = try await Post.query(on: store.database).first()?.slug
        found["documents"] = try await Document.query(on: store.database).first()?.slug
        found["campaigns"] = try await Campaign.query(on: store.database).first()?.slug
        found["category"] = try await Category.query(on: store.database).first()?.slug
        found["tag"] = try await Tag.query(on: store.database).first()?.slug
        found["page"] = try await Page.query(on: store.database).first()?.slug
        found["events"] = try await Event.query(on: store.database).first()?.slug
        let slugs = found
        let paths = router.routes.filter { $0.method == .get }.map(\.path.description).filter { !$0.contains("admin") && !$0.contains("api") }
        let asked = Counter()
        try await app.test(.router) { client async throws in
            for pattern in paths {
                let parts = pattern.split(separator: "/").map(String.init)
                let filled = parts.enumerated().map { index, part -> String in
                    guard part.hasPrefix(":") else { return part }
                    if part == ":page" { return "1" }
                    if part == ":code" { return "es" }
                    return slugs[index > 0 ? parts[index - 1] : "page"] ?? slugs["page"] ?? "x"
                }
                for path in ["/" + filled.joined(separator: "/"), "/es/" + filled.joined(separator: "/")] {
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
            #expect(try await client.get("/campaigns/\(slugs["campaigns"] ?? "")").headers[.cacheControl] == "private, no-store")
            #expect(try await client.get("/search?q=school").headers[.cacheControl] == "private, no-store")
        }
        #expect(asked.value > 20)
    }
}
