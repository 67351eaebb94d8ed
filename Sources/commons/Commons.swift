import ArgumentParser
import CommonsAccounts
import CommonsContent
import CommonsCore
import CommonsImport
import CommonsMail
import CommonsOrganizing
import CommonsPartners
import CommonsPrivacy
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
        version: "commons \(Commons.release) (commit \(buildCommit))",
        subcommands: [
            Serve.self, Migrate.self, User.self, Export.self, Import.self, Purge.self, Keys.self, BackupCommand.self, RestoreCommand.self,
            MigrateToPostgres.self, Mail.self, TokenCommand.self,
        ],
        defaultSubcommand: Serve.self
    )

    /// The release; `--version` prints it with the commit the binary was built from.
    static let release = "0.9.0"
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
        EventLoops.matchAffinity()
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
        try await runUntilSignalled(app)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    func run() async throws {
        let settings = loadSettings()
        let logger = makeLogger(settings: settings)
        do {
            try await CommonsDatabase.using(settings.database, logger: logger) { store in try await store.migrate(AllMigrations.list) }
            print("Migrations are up to date (\(settings.database.kindName)).")
        } catch {
            fail(error)
        }
    }
}

/// Opens the data store with pending migrations applied, runs `body`, and closes it.
func withStore<T>(_ settings: Settings, _ body: (CommonsDatabase) async throws -> T) async throws -> T {
    try await CommonsDatabase.using(settings.database, logger: makeLogger(settings: settings)) { store in
        try await store.migrate(AllMigrations.list)
        return try await body(store)
    }
}

extension Role: ExpressibleByArgument {}

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage staff accounts.", subcommands: [Add.self, ResetTwoFactor.self])

    struct ResetTwoFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-2fa",
            abstract: "Turn off two-factor sign-in for a staff member who lost their phone and recovery codes.",
            discussion: """
                Removes the account's authenticator secret and recovery codes and signs it out everywhere; at the next sign-in, \
                the password alone opens the enrolment page (for roles in COMMONS_REQUIRE_2FA, nothing else until they enrol \
                again). Written to the audit log as done from the command line.
                """
        )

        @Option(help: "The staff member's email.") var email: String

        func run() async throws {
            let settings = loadSettings()
            do {
                try await withStore(settings) { store in
                    let logger = makeLogger(settings: settings)
                    let keys = try await loadDataKeys(settings: settings, store: store, logger: logger)
                    guard let account = try await StaffDirectory(database: store.database, clock: .system).account(email: email) else {
                        throw CommandError("no staff account has the email \(email.lowercased())")
                    }
                    let hadTwoFactor = account.hasTwoFactor
                    try await TwoFactor(database: store.database, clock: .system, keys: keys)
                        .disable(try account.requireID(), by: .system("command line"), keeping: nil)
                    print(
                        hadTwoFactor
                            ? "Turned off two-factor sign-in for \(account.email) and signed the account out everywhere. They enrol again at their next sign-in."
                            : "\(account.email) had no two-factor sign-in; the account was signed out everywhere."
                    )
                }
            } catch {
                fail(error)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account.",
            discussion:
                "Without --password-stdin a strong password is generated and printed once. The account's creation is written to the audit log."
        )

        @Option(help: "The person's email; they sign in with it.") var email: String
        @Option(help: "admin, organizer or editor.") var role: Role
        @Option(help: "The person's name, shown in the staff area.") var name: String = ""
        @Flag(help: "Read the password from the first line of standard input instead of generating one.") var passwordStdin = false

        func run() async throws {
            let settings = loadSettings()
            var password = Passwords.generate()
            if passwordStdin {
                guard let line = readLine(strippingNewline: true) else { fail(CommandError("no password on standard input")) }
                password = line
            }
            do {
                try await withStore(settings) { store in
                    try await StaffDirectory(database: store.database, clock: .system).add(
                        email: email,
                        name: name,
                        role: role,
                        password: password,
                        by: nil
                    )
                }
            } catch let errors as ValidationErrors {
                let catalog = (try? StringCatalogs.bundled())?["en"]
                let messages = errors.fields.map { field in
                    let key = errors[field] ?? ""
                    return "\(field): \(catalog?[key] ?? key)"
                }
                fail(CommandError(messages.joined(separator: "\n")))
            } catch {
                fail(error)
            }
            print("Created the \(role.rawValue) account \(email.lowercased()).")
            if !passwordStdin { print("Password (shown once, keep it safe): \(password)") }
        }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export data.", subcommands: [Supporters.self])

    struct Supporters: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write supporters as CSV (UTF-8 with BOM, RFC 4180, formulas neutralized), the same file the staff area exports.",
            discussion: "The export is written to the audit log with its filter and row count."
        )

        @Option(help: "Only the people who joined this campaign (its slug).") var campaign: String?
        @Option(help: "Write to this file instead of standard output.") var out: String?

        func run() async throws {
            let settings = loadSettings()
            do {
                try await withStore(settings) { store in
                    let keys = try await loadDataKeys(settings: settings, store: store, logger: makeLogger(settings: settings))
                    var filter = SupporterFilter()
                    if let campaign {
                        guard let found = try await CampaignDirectory(database: store.database).campaign(slug: campaign) else {
                            throw CommandError("no campaign has the slug \(campaign)")
                        }
                        filter.campaignID = found.id
                    }
                    let output: FileHandle
                    if let out {
                        // Created readable by its owner only: it is a list of people.
                        guard FileManager.default.createFile(atPath: out, contents: nil, attributes: [.posixPermissions: 0o600]),
                            let file = FileHandle(forWritingAtPath: out)
                        else { throw CommandError("cannot write \(out)") }
                        output = file
                    } else {
                        output = FileHandle.standardOutput
                    }
                    // Written a batch at a time, as the staff area streams it.
                    try output.write(contentsOf: Data(SupporterCSV.headerLine().utf8))
                    try await SupporterDirectory(database: store.database, keys: keys, clock: .system)
                        .export(filter, by: .system("command line")) { records in
                            try output.write(contentsOf: Data(records.map(SupporterCSV.line(for:)).joined().utf8))
                        }
                    if out != nil { try output.close() }
                }
            } catch {
                fail(error)
            }
        }
    }
}

struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring content in from another system.", subcommands: [WordPress.self])

    struct WordPress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wordpress",
            abstract: "Import a WordPress export file (Tools → Export in WordPress): posts, pages, categories, tags, attachments.",
            discussion: """
                Every old address (permalinks, /?p=ID, /?page_id=ID, attachment pages and /wp-content/uploads/ files, \
                category, tag and date archives) answers 301 to its new page. Bodies keep only safe HTML; shortcodes are \
                removed and counted. Importing the same file again updates what changed and duplicates nothing. The import \
                is all or nothing: on any error nothing is written. Run it while the site is quiet: on SQLite it holds the \
                database's write lock until it is done.
                """
        )

        @Argument(help: "The export file (WXR, .xml).")
        var file: String

        @Option(name: .long, help: "A copy of the site's wp-content/uploads folder, for the attachments' files.")
        var uploads: String?

        @Flag(name: .long, help: "Report what would be imported without writing anything.")
        var dryRun = false

        @Option(
            name: .long,
            help: "The WordPress site's time zone, for items without a GMT date (default: COMMONS_TIME_ZONE, else America/New_York)."
        )
        var timeZone: String?

        func run() async throws {
            let settings = loadSettings()
            guard let zone = timeZone.map({ TimeZone(identifier: $0) }) ?? settings.timeZone else {
                fail(ImportError("unknown time zone \(timeZone ?? "")"))
            }
            guard let data = FileManager.default.contents(atPath: file) else { fail(ImportError("cannot read \(file)")) }
            var isFolder: ObjCBool = false
            if let uploads, !FileManager.default.fileExists(atPath: uploads, isDirectory: &isFolder) || !isFolder.boolValue {
                fail(ImportError("--uploads \(uploads) is not a folder"))
            }
            do {
                let report = try await withStore(settings) { store in
                    try await WordPressImport(database: store.database, clock: .system, timeZone: zone).run(
                        data,
                        options: .init(uploads: uploads.map { URL(fileURLWithPath: $0) }, dryRun: dryRun) { line in
                            FileHandle.standardError.write(Data("\(line)\n".utf8))
                        },
                        by: .system("command line")
                    )
                }
                print(report.summary)
            } catch {
                fail(error)
            }
        }
    }

    struct ImportError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

struct Mail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the mail settings.", subcommands: [Test.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one test message through COMMONS_SMTP_URL and print what the server answered.",
            discussion: """
                Uses COMMONS_SMTP_URL, COMMONS_SMTP_CA_FILE and COMMONS_MAIL_FROM as `serve` does. The message goes straight to \
                the relay, not through the outbox. Exits non-zero with the reason in words when it could not be sent.
                """
        )

        @Option(help: "The address to send the test message to.")
        var to: String

        func run() async throws {
            let settings = loadSettings()
            do {
                for line in try await sendTestMail(settings: settings, to: to) { print(line) }
                print("Sent: the server accepted the test message for \(to).")
            } catch {
                fail(error)
            }
        }
    }
}

struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete what the retention settings say has expired, now (the server also does this daily).",
        discussion: """
            RSVPs go COMMONS_RSVP_RETENTION_DAYS (default 90) days after their event; supporters with no new action go after \
            COMMONS_SUPPORTER_RETENTION_MONTHS (default 36) months, with their actions and tags. The purge is written to the audit log.
            """
    )

    func run() async throws {
        let settings = loadSettings()
        do {
            let report = try await withStore(settings) { store in try await purgeExpiredData(store: store, settings: settings) }
            print(
                "Deleted \(report.rsvps) expired RSVPs and \(report.supporters) supporters inactive for \(settings.retention.supporterMonths) months."
            )
        } catch {
            fail(error)
        }
    }
}

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage the key that encrypts supporters' personal data.", subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt all supporter data and queued mail under a new key version, while the server keeps serving.",
            discussion: """
                With the key in the data directory (keys/data.key), this adds a new key version to that file, waits a few seconds \
                for running servers to notice it, then re-encrypts every supporter under it; older versions stay in the file so \
                nothing written meanwhile becomes unreadable. With COMMONS_DATA_KEY, put the new key first on every server \
                (COMMONS_DATA_KEY=2:NEW,1:OLD) and run this to re-encrypt; drop the old key once it reports no rows left.
                """
        )

        func run() async throws {
            let settings = loadSettings()
            do {
                try await withStore(settings) { store in
                    let logger = makeLogger(settings: settings)
                    let keys = try await loadDataKeys(settings: settings, store: store, logger: logger)
                    let report = try await KeyRotation(database: store.database, keys: keys)
                        .rotate(
                            addingVersion: settings.dataKey == nil,
                            also: {
                                try await Outbox.reseal(database: store.database, keys: keys)
                                    + WebhookKeys.reseal(database: store.database, keys: keys)
                                    + TwoFactor.reseal(database: store.database, keys: keys)
                            },
                            by: .system("command line"),
                            clock: .system
                        )
                    if let added = report.addedVersion { print("Added key version \(added) to \(settings.dataDirectory)/keys/data.key.") }
                    print(
                        "Re-encrypted \(report.supporters) supporters and \(report.others) queued messages, webhook secrets and two-factor secrets under key version \(report.version)."
                    )
                }
            } catch {
                fail(error)
            }
        }
    }
}
