import CommonsCore
import CommonsPrivacy
import CommonsStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// Builds the real application on a test's own database, as `serve` does, and drives it over HTTP.
struct TestSite {
    let database: TestDatabase
    var settings: Settings
    var services: Services

    static func make(_ backend: TestDatabase.Backend = .sqlite, demo: Bool = true, clock: Clock = .system) async throws -> TestSite {
        let database = try await TestDatabase.make(backend)
        var settings = Settings(
            dataDirectory: database.folder.path,
            database: database.location,
            baseURL: "https://commons.test",
            loadDemoContent: demo,
            logLevel: .warning
        )
        // Most tests sign staff in with a password alone; TwoFactorTests turns the rule back on.
        settings.requireTwoFactor = []
        return TestSite(database: database, settings: settings, services: Services(clock: clock))
    }

    /// Starts the application, runs `body` with a client, shuts the application down.
    func run<Value>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = try await buildApplication(settings: settings, services: services, logger: TestDatabase.logger)
        return try await app.test(.router, body)
    }

    /// Starts the application on a real loopback port (chosen by the system), for tests of
    /// what happens on the socket itself.
    func runLive<Value>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        var settings = settings
        settings.port = 0
        let app = try await buildApplication(settings: settings, services: services, logger: TestDatabase.logger)
        return try await app.test(.live, body)
    }

    /// The site's own router, and an application serving it, for tests that walk every route:
    /// built as `serve` builds them, on a store this call opens and the application closes.
    func routedApplication() async throws -> (router: Router<AppRequestContext>, site: Site, app: Application<SiteResponder>) {
        let store = try await CommonsDatabase.open(database.location, logger: TestDatabase.logger)
        let built = try await makeSite(settings: settings, services: services, store: store, logger: TestDatabase.logger)
        let router = buildRouter(site: built)
        var routed = settings
        routed.port = 0
        let responder = SiteResponder(router: router.buildResponder(), languages: built.languages)
        let (server, _) = try serverBuilder(settings: routed, site: built, responder: responder, logger: TestDatabase.logger)
        var app = Application(
            responder: responder,
            server: server,
            configuration: .init(address: .hostname(routed.hostname, port: 0), serverName: nil),
            logger: TestDatabase.logger
        )
        app.addServices(DatabaseService(store: store))
        return (router, built, app)
    }

    /// The data keys the site made in its data folder, to seal and open what tests arrange and check.
    func dataKeys() throws -> DataKeys {
        try DataKeys.load(environmentValue: nil, dataDirectory: settings.dataDirectory).keys
    }

    /// Opens the database directly, for arranging data and checking what was stored.
    func withStore<Value>(_ body: (CommonsDatabase) async throws -> Value) async throws -> Value {
        try await CommonsDatabase.using(database.location, logger: TestDatabase.logger, body)
    }

    func destroy() async {
        await database.destroy()
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

extension TestClientProtocol {
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }
}

/// The `href` values of `<a>` elements inside the first element that starts with `marker`.
func links(in html: String, within marker: String) -> [String] {
    guard let start = html.range(of: marker) else { return [] }
    let section = html[start.lowerBound...]
    let end = section.range(of: "</section>") ?? section.range(of: "</article>") ?? section.range(of: "</main>")
    let scope = end.map { section[..<$0.upperBound] } ?? section
    var result: [String] = []
    var rest = scope
    while let anchor = rest.range(of: "<a href=\"") {
        let after = rest[anchor.upperBound...]
        guard let close = after.firstIndex(of: "\"") else { break }
        result.append(String(after[..<close]))
        rest = after[close...]
    }
    return result
}
