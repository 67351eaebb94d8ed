import CommonsAccounts
import CommonsContent
import CommonsDemo
import CommonsImport
import CommonsMail
import CommonsOrganizing
import CommonsPartners
import CommonsPrivacy
import CommonsStorage
import FluentKit
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import ServiceLifecycle

/// The application type `serve` runs and tests drive.
public typealias CommonsApplication = Application<SiteResponder>

/// Every migration of every concern, in the order they run. Landed migrations are never edited.
public enum AllMigrations {
    public static var list: [any Migration] {
        let mail: [any Migration] = [CreateMail()]
        return ContentMigrations.all + OrganizingMigrations.all + AccountsMigrations.all + [
            TrackContentChanges(tables: publicContentTables), CreateTranslations(),
        ]
            + ImportMigrations.all + [StoreRenderedBodies(), StoreRenderedDescriptions(), IndexWordsWithoutPunctuation()]
            + mail + [
                CreateAPITokens(), CreateSupporterChanges(), CreateWebhooks(), CreateDatasets(), CreateMembers(), CreateSelfServiceLinks(),
                CreateErasedPeople(), CreateImageVariants(),
            ]
    }

    /// Every table a public page is rendered from: a write to any of them empties the page cache.
    static let publicContentTables = [
        Post.schema, Page.schema, Document.schema, StoredFile.schema, Category.schema, Tag.schema, PostCategory.schema, PostTag.schema,
        SiteSetting.schema, Redirect.schema, Campaign.schema, Event.schema,
    ]
}

/// Opens the data store, builds the site and its routes: what `commons serve` runs and what tests start.
public func buildApplication(settings: Settings, services: Services = .live, logger: Logger? = nil) async throws -> CommonsApplication {
    let logger = logger ?? makeLogger(settings: settings)
    let store = try await CommonsDatabase.open(settings.database, logger: logger)
    do {
        return try await buildApplication(settings: settings, services: services, store: store, logger: logger)
    } catch {
        await store.shutdown()
        throw error
    }
}

/// Builds the site on a store that is already open; the application closes it on shutdown.
public func buildApplication(settings: Settings, services: Services, store: CommonsDatabase, logger: Logger) async throws -> CommonsApplication {
    let site = try await makeSite(settings: settings, services: services, store: store, logger: logger)
    let responder = SiteResponder(
        router: buildRouter(site: site).buildResponder(),
        languages: site.languages,
        trustedProxies: settings.trustedProxies,
        isHTTPS: settings.isHTTPS
    )
    let (server, certificates) = try serverBuilder(settings: settings, site: site, responder: responder, logger: logger)
    var app = Application(
        responder: responder,
        server: server,
        configuration: .init(address: .hostname(settings.hostname, port: settings.port), serverName: nil),
        logger: logger
    )
    app.addServices(DatabaseService(store: store))
    app.addServices(MailService(site: site, logger: logger))
    app.addServices(WebhookService(site: site, logger: logger))
    app.addServices(RetentionService(store: store, policy: settings.retention, clock: services.clock, logger: logger))
    if let certificates {
        app.addServices(CertificateReloadService(certificates: certificates, logger: logger))
        if let port = settings.httpRedirectPort {
            app.addServices(HTTPSRedirect.application(baseURL: settings.baseURL, host: settings.hostname, port: port, logger: logger))
        }
    }
    if let port = settings.metricsPort {
        app.addServices(MetricsRoutes.application(site: site, host: settings.metricsHost, port: port, logger: logger))
    }
    if let folder = settings.backupDirectory {
        app.addServices(BackupService(store: store, folder: folder, keep: settings.backupsKept, clock: services.clock, logger: logger))
    }
    return app
}

/// Prepares the store (migrations, data key, demo content) and loads templates, strings and assets.
func makeSite(settings: Settings, services: Services, store: CommonsDatabase, logger: Logger) async throws -> Site {
    try await store.migrate(AllMigrations.list)
    // Several servers starting on one PostgreSQL check the key and load the demo one at a time.
    let keys = try await store.exclusively {
        let keys = try await loadDataKeys(settings: settings, store: store, logger: logger)
        let names = try await KeyRotation(database: store.database, keys: keys).indexNames()
        if names.indexed > 0 { logger.notice("Indexed the names of \(names.indexed) supporters for the staff search") }
        if names.unreadable > 0 {
            logger.error("\(names.unreadable) supporters could not be opened to index their names (damaged, or sealed under a lost key)")
        }
        if settings.loadDemoContent, try await DemoContent.loadIfEmpty(on: store.database, clock: services.clock) {
            logger.info("Loaded the demo content (set COMMONS_DEMO=0 to start empty)")
        }
        return keys
    }
    if try await StaffDirectory(database: store.database, clock: services.clock).count() == 0 {
        logger.notice("No staff accounts yet. Create the first admin with: commons user add --email you@example.org --role admin")
    }
    // `.copy("Resources")` puts the folder itself inside the bundle.
    let resources = Bundle.module.bundleURL.appendingPathComponent("Resources")
    let metrics = SiteMetrics()
    let catalogs = try StringCatalogs(directory: resources.appendingPathComponent("Locales"))
    let assets = try Assets(directory: resources.appendingPathComponent("Assets"))
    let confirmations = ActionConfirmations(catalogs: catalogs, settings: settings, keys: keys, clock: services.clock, database: store.database)
    return Site(
        settings: settings,
        services: services,
        store: store,
        views: try await Views(directory: resources.appendingPathComponent("Templates")),
        catalogs: catalogs,
        assets: assets,
        stylesheets: Stylesheets(assets: assets),
        keys: keys,
        formLimiter: RateLimiter(limit: settings.formRateLimit, window: .seconds(600)),
        apiLimiter: RateLimiter(limit: settings.apiRateLimit, window: .seconds(60)),
        actionWriter: ActionWriter(database: store.database, keys: keys, followUp: confirmations.queue) { size, commit in
            metrics.actionBatch(size: size, commit: commit)
        },
        pageCache: settings.pageCacheMegabytes == 0
            ? nil
            : PageCache(capacity: settings.pageCacheMegabytes * 1024 * 1024, checkInterval: settings.contentCheckInterval) {
                [database = store.database] in
                try await ContentVersion.current(on: database)
            },
        metrics: metrics,
        openAPIDocument: try Data(contentsOf: resources.appendingPathComponent("openapi.json"))
    )
}

/// Every route of the site, behind the middleware every request passes through.
func buildRouter(site: Site) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware(metrics: site.metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: HTTPCachingMiddleware(cache: site.pageCache, metrics: site.metrics))
    router.add(middleware: ErrorPageMiddleware(site: site))
    router.add(middleware: APIProblemMiddleware(strings: site.strings(.english)))
    router.add(middleware: BodyLimitMiddleware())
    router.add(middleware: RedirectMiddleware(site: site))
    SystemRoutes(site: site).register(on: router)
    MetricsRoutes(site: site).register(on: router)
    FeedRoutes(site: site).register(on: router)
    NewsRoutes(site: site).register(on: router)
    DocumentRoutes(site: site).register(on: router)
    ImageRoutes(site: site).register(on: router)
    DataRoutes(site: site).register(on: router)
    PageRoutes(site: site).register(on: router)
    PrivacyRoutes(site: site).register(on: router)
    UnsubscribeRoutes(site: site).register(on: router)
    ChangeConfirmationRoutes(site: site).register(on: router)
    CampaignRoutes(site: site).register(on: router)
    EventRoutes(site: site).register(on: router)
    CoalitionRoutes(site: site).register(on: router)
    EmbedRoutes(site: site).register(on: router)
    MyDataRoutes(site: site).register(on: router)
    StaffRoutes(site: site).register(on: router)
    APIRoutes(site: site).register(on: router)
    return router
}

/// Serves until SIGTERM or SIGINT, then stops taking connections and lets requests in flight
/// finish for at most `shutdownGrace`: a client holding a request open cannot keep the process
/// from stopping (what it sent is then dropped; an acknowledged sign-up is already committed).
public func runUntilSignalled(_ app: CommonsApplication, shutdownGrace: Duration = .seconds(10)) async throws {
    var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger)
    configuration.maximumGracefulShutdownDuration = shutdownGrace
    try await ServiceGroup(configuration: configuration).run()
}

/// The data key, checked against the one the database was written with: a different key would
/// make every supporter unreadable, so it stops the server instead.
public func loadDataKeys(settings: Settings, store: CommonsDatabase, logger: Logger) async throws -> DataKeys {
    let (keys, created) = try DataKeys.load(environmentValue: settings.dataKey, dataDirectory: settings.dataDirectory)
    let siteSettings = SiteSettings(database: store.database)
    if let check = try await siteSettings.value(.dataKeyCheck) {
        guard keys.matches(checkValue: check) else { throw DataKeyError.mismatch }
    } else {
        if try await Supporter.query(on: store.database).count() > 0 { throw DataKeyError.mismatch }
        try await siteSettings.set(.dataKeyCheck, to: keys.checkValue)
    }
    if created {
        logger.notice(
            "Created a new data key in \(settings.dataDirectory)/keys/data.key (mode 0600). Back it up: without it supporter data cannot be read."
        )
    }
    return keys
}

/// The process's logger, at the level `LOG_LEVEL` asks for, as text or (`LOG_FORMAT=json`) JSON lines.
public func makeLogger(settings: Settings) -> Logger {
    var logger =
        switch settings.logFormat {
        case .text: Logger(label: "commons")
        case .json: Logger(label: "commons") { JSONLogHandler.standardError(label: $0) }
        }
    logger.logLevel = settings.logLevel
    return logger
}
