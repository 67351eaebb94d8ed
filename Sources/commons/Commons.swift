import ArgumentParser
import CommonsStorage
import CommonsWeb
import Foundation
import Hummingbird
import Logging

@main
struct Commons: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commons",
        abstract: "The website and organizing hub of a community coalition.",
        discussion: """
            Configuration comes from the environment: COMMONS_DATA_DIR (default ./data), DATABASE_URL \
            (postgres://… to use PostgreSQL instead of SQLite), HOST, PORT, COMMONS_BASE_URL, COMMONS_DEMO=0 \
            (start with an empty site) and LOG_LEVEL. See README.md.
            """,
        subcommands: [Serve.self, Migrate.self],
        defaultSubcommand: Serve.self
    )
}

/// Reads the environment into settings, or ends the process with the reason.
func loadSettings() -> Settings {
    do {
        return try Settings.fromEnvironment()
    } catch {
        FileHandle.standardError.write(Data("commons: \(error)\n".utf8))
        Foundation.exit(64)
    }
}

/// Ends the process with a message an operator can act on, for the errors we expect at start-up.
func fail(_ error: any Error) -> Never {
    FileHandle.standardError.write(Data("commons: \(error)\n".utf8))
    Foundation.exit(1)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the site over HTTP (the default command).",
        discussion: "Applies pending migrations first and, on an empty database, loads the demo content unless COMMONS_DEMO=0."
    )

    @Option(name: .long, help: "The address to listen on (default: HOST, else 127.0.0.1).")
    var hostname: String?

    @Option(name: .long, help: "The port to listen on (default: PORT, else 8080).")
    var port: Int?

    func run() async throws {
        var settings = loadSettings()
        let explicitBaseURL = ProcessInfo.processInfo.environment["COMMONS_BASE_URL"].map { !$0.isEmpty } ?? false
        if let hostname { settings.hostname = hostname }
        if let port { settings.port = port }
        if !explicitBaseURL { settings.baseURL = "http://\(settings.hostname):\(settings.port)" }
        let app: CommonsApplication
        do {
            app = try await buildApplication(settings: settings)
        } catch {
            fail(error)
        }
        app.logger.info("Commons serves \(settings.database.kindName) data at http://\(settings.hostname):\(settings.port)")
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    func run() async throws {
        let settings = loadSettings()
        let logger = makeLogger(settings: settings)
        do {
            let store = try await CommonsDatabase.open(settings.database, logger: logger)
            do {
                try await store.migrate(AllMigrations.list)
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
            print("Migrations are up to date (\(settings.database.kindName)).")
        } catch {
            fail(error)
        }
    }
}
