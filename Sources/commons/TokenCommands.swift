import ArgumentParser
import CommonsAccounts
import CommonsCore
import CommonsPartners
import CommonsWeb
import Foundation

extension APIToken.Scope: ExpressibleByArgument {}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage tokens for the OSDI API (/api/v1).",
        subcommands: [Add.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token and print it once.",
            discussion: """
                The token is stored only as a hash: copy it now. Partners send it in the OSDI-API-Token header. \
                Admins see it, with its last use, at /admin/api-tokens and can revoke it there. Its creation is in the audit log.
                """
        )

        @Option(help: "What the token is for, e.g. the partner's tool; shown in the staff area and the audit log.") var name: String
        @Option(help: "read (reads people, tags, petitions, events, forms) or write (also creates and updates).") var scope: APIToken.Scope
        @Option(help: "Days until it stops working (1 to 3650); without it, until revoked.") var expires: Int?

        func run() async throws {
            let settings = loadSettings()
            let made: (token: APIToken, secret: String)
            do {
                made = try await withStore(settings) { store in
                    try await APITokens(database: store.database, clock: .system).create(
                        name: name,
                        scope: scope,
                        expiresInDays: expires,
                        by: .system("command line")
                    )
                }
            } catch let errors as ValidationErrors {
                let catalog = (try? StringCatalogs.bundled())?["en"]
                fail(CommandError(errors.fields.map { "\($0): \(catalog?[errors[$0] ?? ""] ?? errors[$0] ?? "")" }.joined(separator: "\n")))
            } catch {
                fail(error)
            }
            FileHandle.standardError.write(Data("Created the \(scope.rawValue) token \"\(made.token.name)\". It is shown once; keep it safe:\n".utf8))
            print(made.secret)
        }
    }
}
