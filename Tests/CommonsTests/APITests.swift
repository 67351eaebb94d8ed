import CommonsAccounts
import CommonsAudit
import CommonsCore
import CommonsOrganizing
import CommonsPartners
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import CommonsWeb

/// A partner tool talking to the API: its token, and every answer it got (for the OpenAPI check).
final class APIClientRecorder: @unchecked Sendable {
    let client: any TestClientProtocol
    let token: String
    private let lock = NSLock()
    private var answers: [String] = []

    init(_ client: any TestClientProtocol, token: String) {
        self.client = client
        self.token = token
    }

    @discardableResult
    func call(
        _ method: HTTPRequest.Method,
        _ path: String,
        json: String? = nil,
        token override: String? = nil
    ) async throws -> (
        status: HTTPResponse.Status, headers: HTTPFields, body: [String: Any]
    ) {
        var headers: HTTPFields = [HTTPField.Name("OSDI-API-Token")!: override ?? token]
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let text = String(buffer: response.body)
        let body = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        let record: [String: Any] = [
            "method": method.rawValue, "path": path, "status": Int(response.status.code),
            "content_type": response.headers[.contentType] ?? "",
            "body": text.isEmpty ? NSNull() : (try? JSONSerialization.jsonObject(with: Data(text.utf8))) ?? text,
        ]
        let line = String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
        lock.withLock { answers.append(line) }
        return (response.status, response.headers, body)
    }

    func get(_ path: String) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: [String: Any]) {
        try await call(.get, path)
    }

    var recorded: [String] { lock.withLock { answers } }
}

func person(_ given: String, _ email: String, status: String? = nil, tags: [String] = [], extra: String = "") -> String {
    let statusField = status.map { ", \"status\": \"\($0)\"" } ?? ""
    let tagList = tags.map { "\"\($0)\"" }.joined(separator: ",")
    return """
        {"person": {"given_name": "\(given)", "family_name": "Okafor", "email_addresses": [{"address": "\(email)", "primary": true\(statusField)}]\(extra)}, \
        "add_tags": [\(tagList)]}
        """
}

extension Dictionary where Key == String, Value == Any {
    func embedded(_ name: String) -> [[String: Any]] { ((self["_embedded"] as? [String: Any])?[name] as? [[String: Any]]) ?? [] }
    func link(_ name: String) -> String? { ((self["_links"] as? [String: Any])?[name] as? [String: Any])?["href"] as? String }
    var id: String { ((self["identifiers"] as? [String])?.first ?? "").replacingOccurrences(of: "commons:", with: "") }
}

@Suite("OSDI API")
struct APITests {
    static let base = "https://commons.test"

    /// Makes a token as `commons token add` or an admin does, answering its secret.
    static func token(
        _ site: TestSite,
        _ scope: APIToken.Scope,
        by actor: AuditActor = .system("command line"),
        name: String = "partner crm"
    )
        async throws -> String
    {
        try await site.withStore { store in
            try await store.migrate(AllMigrations.list)
            return try await APITokens(database: store.database, clock: .system).create(name: name, scope: scope, expiresInDays: nil, by: actor)
                .secret
        }
    }

    /// What a partner's CRM does over a day, on one engine; every answer is kept for the OpenAPI check.
    func partnerDay(_ backend: TestDatabase.Backend) async throws -> [String] {
        var made = try await TestSite.make(backend)
        made.settings.formRateLimit = 0
        let site = made
        defer { Task { await site.destroy() } }
        let read = try await Self.token(site, .read, name: "phone bank sheet")
        let write = try await Self.token(site, .write)
        let editor = try await addStaff(site, email: "editor@example.org", role: .editor)
        let editorToken = try await Self.token(site, .write, by: .staff(editor), name: "made by an editor")
        let (petitionID, eventID) = try await site.withStore { store in
            let petition = try await CampaignDirectory(database: store.database).create(
                CampaignDraft(
                    title: "Fund Community Schools",
                    slug: "fund-schools",
                    kind: .petition,
                    description: "Sign.",
                    petitionText: "Fund them.",
                    petitionTarget: "The Mayor"
                )
            )
            let event = try await EventDirectory(database: store.database, clock: .system).create(
                EventDraft(
                    title: "Parent training",
                    description: "Learn.",
                    startsAt: Date().addingTimeInterval(86_400),
                    endsAt: Date().addingTimeInterval(90_000),
                    timeZone: "America/New_York",
                    capacity: 1
                )
            )
            return (try petition.requireID(), try event.requireID())
        }
        return try await site.run { client in
            let api = APIClientRecorder(client, token: write)
            let reader = APIClientRecorder(client, token: read)

            // Without a token, with an unknown one: 401 problem documents.
            let anonymous = try await client.get("/api/v1/people")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.contentType] == "application/problem+json")
            #expect(try await api.call(.get, "/api/v1/people", token: "commons_not-a-token").status == .unauthorized)

            let entry = try await reader.get("/api/v1")
            #expect(entry.status == .ok)
            #expect(entry.headers[.contentType] == "application/hal+json")
            #expect(entry.body.link("osdi:people") == Self.base + "/api/v1/people")

            // The signup helper: a read token cannot; a write token creates, then merges.
            #expect(try await reader.call(.post, "/api/v1/people", json: person("Ada", "ada@example.org")).status == .forbidden)
            let created = try await api.call(.post, "/api/v1/people", json: person("Ada", "Ada@Example.org", tags: ["partner-import"]))
            #expect(created.status == .created)
            let adaID = created.body.id
            #expect(created.headers[.location] == Self.base + "/api/v1/people/\(adaID)")
            let emails = try #require(created.body["email_addresses"] as? [[String: Any]])
            #expect(emails.first?["address"] as? String == "ada@example.org")
            #expect(emails.first?["status"] as? String == "unsubscribed", "consent is never assumed")
            #expect(created.body["tags"] as? [String] == ["partner-import"])
            let merged = try await api.call(.post, "/api/v1/people", json: person("Someone Else", "ada@example.org", status: "subscribed"))
            #expect(merged.status == .ok)
            #expect(merged.body.id == adaID)
            #expect(merged.body["given_name"] as? String == "Ada", "a helper never overwrites what is stored, as a public form")

            // Bad input: 400 for a body that is not JSON, 422 naming the fields.
            #expect(try await api.call(.post, "/api/v1/people", json: "{not json").status == .badRequest)
            let invalid = try await api.call(.post, "/api/v1/people", json: person("Ada", "not-an-address"))
            #expect(invalid.status == .unprocessableContent)
            let errors = try #require(invalid.body["errors"] as? [[String: Any]])
            #expect(errors.contains { $0["field"] as? String == "person.email_addresses" && $0["code"] as? String == "error.email_invalid" })
            #expect(
                try await api.call(.post, "/api/v1/people", json: person("Ada", "x@example.org", status: "maybe")).status == .unprocessableContent
            )

            // Paging: 24 more people, 10 a page.
            for index in 0..<24 {
                #expect(try await api.call(.post, "/api/v1/people", json: person("P\(index)", "p\(index)@example.org")).status == .created)
            }
            let first = try await reader.get("/api/v1/people?per_page=10")
            #expect(first.body["total_records"] as? Int == 25)
            #expect(first.body["total_pages"] as? Int == 3)
            #expect(first.body.embedded("osdi:people").count == 10)
            #expect(first.body.link("next") == Self.base + "/api/v1/people?page=2&per_page=10")
            #expect(first.body.link("previous") == nil)
            let last = try await reader.get("/api/v1/people?page=3&per_page=10")
            #expect(last.body.embedded("osdi:people").count == 5)
            #expect(last.body.link("next") == nil)
            #expect(try await reader.get("/api/v1/people?per_page=5000").body["per_page"] as? Int == 100)
            #expect(try await reader.get("/api/v1/people?page=0").status == .badRequest)

            // Filters: the address through the blind index, dates compared, nonsense refused.
            let byEmail = try await reader.get("/api/v1/people?filter=" + "email_address eq 'ADA@example.org'".urlQueryEncoded)
            #expect(byEmail.body.embedded("osdi:people").map(\.id) == [adaID])
            let future = try await reader.get("/api/v1/people?filter=" + "modified_date gt '2999-01-01T00:00:00Z'".urlQueryEncoded)
            #expect(future.body["total_records"] as? Int == 0)
            let past = try await reader.get(
                "/api/v1/people?filter=" + "modified_date gt '2020-01-01' and modified_date lt '2999-01-01'".urlQueryEncoded
            )
            #expect(past.body["total_records"] as? Int == 25)
            for bad in ["modified_date gt '99999-01-01'", "given_name eq 'Ada'", "modified_date gt 2020", "email_address eq 'a' or"] {
                let answer = try await reader.get("/api/v1/people?filter=" + bad.urlQueryEncoded)
                #expect(answer.status == .badRequest, "\(bad)")
            }

            // One person; not found is a problem document too.
            #expect(try await reader.get("/api/v1/people/\(adaID)").body["given_name"] as? String == "Ada")
            #expect(try await reader.get("/api/v1/people/\(UUID())").status == .notFound)
            #expect(try await reader.get("/api/v1/people/not-an-id").status == .notFound)
            let nowhere = try await client.execute(uri: "/api/v1/nothing-here", method: .get, headers: [HTTPField.Name("OSDI-API-Token")!: read])
            #expect(nowhere.status == .notFound)
            #expect(nowhere.headers[.contentType] == "application/problem+json", "an unknown API address is a problem document, not a page")

            // Updates: fields replaced, consent only taken away, an address already used is a conflict.
            let updated = try await api.call(
                .put,
                "/api/v1/people/\(adaID)",
                json:
                    #"{"family_name": "Lovelace", "custom_fields": {"school": "P.S. 1"}, "phone_numbers": [{"number": "212 555 0100", "status": "unsubscribed"}]}"#
            )
            #expect(updated.status == .ok)
            #expect(updated.body["family_name"] as? String == "Lovelace")
            #expect((updated.body["custom_fields"] as? [String: String])?["school"] == "P.S. 1")
            #expect((updated.body["phone_numbers"] as? [[String: Any]])?.first?["number"] as? String == "+12125550100")
            #expect(
                try await api.call(
                    .put,
                    "/api/v1/people/\(adaID)",
                    json: #"{"email_addresses": [{"address": "ada@example.org", "status": "subscribed"}]}"#
                ).status == .unprocessableContent
            )
            #expect(
                try await api.call(.put, "/api/v1/people/\(adaID)", json: #"{"email_addresses": [{"address": "p1@example.org"}]}"#).status
                    == .conflict
            )
            #expect(try await api.call(.put, "/api/v1/people/\(UUID())", json: #"{"family_name": "X"}"#).status == .notFound)
            #expect(try await reader.call(.put, "/api/v1/people/\(adaID)", json: #"{"family_name": "X"}"#).status == .forbidden)

            // Tags and taggings.
            let tags = try await reader.get("/api/v1/tags")
            let tag = try #require(tags.body.embedded("osdi:tags").first { $0["name"] as? String == "partner-import" })
            #expect(tag["total_taggings"] as? Int == 1)
            let taggings = try await reader.get(try #require(tag.link("osdi:taggings")).replacingOccurrences(of: Self.base, with: ""))
            #expect(taggings.body.embedded("osdi:taggings").first?.link("osdi:person") == Self.base + "/api/v1/people/\(adaID)")
            #expect(try await reader.get("/api/v1/tags/0123456789abcdef0123456789abcdef").status == .notFound)

            // A petition signature through the helper, then read back.
            let signature = try await api.call(
                .post,
                "/api/v1/petitions/\(petitionID)/signatures",
                json: person("Grace", "grace@example.org", status: "subscribed")
            )
            #expect(signature.status == .created)
            let signatures = try await reader.get("/api/v1/petitions/\(petitionID)/signatures")
            #expect(signatures.body["total_records"] as? Int == 1)
            #expect(try await reader.get("/api/v1/petitions/\(petitionID)").body["total_signatures"] as? Int == 1)
            let signaturePath = try #require(signature.headers[.location]).replacingOccurrences(of: Self.base, with: "")
            #expect(try await reader.get(signaturePath).status == .ok)
            #expect(try await reader.get("/api/v1/petitions").body.embedded("osdi:petitions").count == 1)
            let grace = try await reader.get("/api/v1/people?filter=" + "email_address eq 'grace@example.org'".urlQueryEncoded)
            #expect((grace.body.embedded("osdi:people").first?["email_addresses"] as? [[String: Any]])?.first?["status"] as? String == "subscribed")

            // A form submission on the demo's sign-up campaign, with its tags.
            let forms = try await reader.get("/api/v1/forms")
            let form = try #require(forms.body.embedded("osdi:forms").first)
            let submission = try await api.call(.post, "/api/v1/forms/\(form.id)/submissions", json: person("Lin", "lin@example.org"))
            #expect(submission.status == .created)
            #expect(try await reader.get("/api/v1/forms/\(form.id)/submissions").body["total_records"] as? Int == 1)
            #expect(try await api.call(.post, "/api/v1/petitions/\(form.id)/signatures", json: person("Lin", "lin@example.org")).status == .notFound)

            // Attendances: the one seat, then the waitlist.
            let seat = try await api.call(.post, "/api/v1/events/\(eventID)/attendances", json: person("Ada", "ada@example.org"))
            #expect(seat.status == .created)
            #expect(seat.body["status"] as? String == "accepted")
            let waiting = try await api.call(.post, "/api/v1/events/\(eventID)/attendances", json: person("Lin", "lin@example.org"))
            #expect(waiting.body["status"] as? String == "tentative")
            #expect(try await reader.get("/api/v1/events/\(eventID)/attendances").body["total_records"] as? Int == 2)
            #expect(try await reader.get("/api/v1/events/\(eventID)").body["total_accepted"] as? Int == 1)
            #expect(try await reader.get("/api/v1/events").body["total_records"] as? Int == 2)
            let over = try #require(
                try await reader.get("/api/v1/events").body.embedded("osdi:events").first { $0["title"] as? String != "Parent training" }
            )
            #expect(try await api.call(.post, "/api/v1/events/\(over.id)/attendances", json: person("Ada", "ada@example.org")).status == .conflict)

            // Erasing: only a write token made by an admin (or on the server's command line).
            let p0 = try #require(first.body.embedded("osdi:people").last?.id)
            #expect(try await api.call(.delete, "/api/v1/people/\(p0)", token: editorToken).status == .forbidden)
            #expect(try await reader.call(.delete, "/api/v1/people/\(p0)").status == .forbidden)
            #expect(try await api.call(.delete, "/api/v1/people/\(p0)").status == .noContent)
            #expect(try await reader.get("/api/v1/people/\(p0)").status == .notFound)
            #expect(try await api.call(.delete, "/api/v1/people/\(p0)").status == .notFound)

            // Every read of people's data is in the audit log under the token's name, with how many.
            let lines = try await site.withStore { store in try await AuditEntry.query(on: store.database).all() }
            #expect(lines.contains { $0.action == "api.people_read" && $0.detail == "api-token=phone bank sheet filter=all rows=10" })
            #expect(lines.contains { $0.action == "api.people_read" && $0.detail == "api-token=phone bank sheet filter=email rows=1" })
            #expect(lines.contains { $0.action == "api.petition_actions_read" && $0.detail.hasPrefix("api-token=phone bank sheet") })
            #expect(lines.contains { $0.action == "supporter.deleted" && $0.subjectID == p0.uppercased() && $0.detail == "api-token=partner crm" })
            #expect(!lines.contains { $0.detail.contains("@") }, "no address in the audit log")
            return api.recorded + reader.recorded
        }
    }

    /// Runs the partner's day, checks the audit log, then validates every answer against the document.
    func partnerDayIsAuditedAndMatchesTheDocument(_ backend: TestDatabase.Backend) async throws {
        let answers = try await partnerDay(backend)
        try await Self.validateAgainstDocument(answers)
    }

    @Test func test_partner_tool_reads_and_writes_people_petitions_events_and_forms_on_sqlite() async throws {
        try await partnerDayIsAuditedAndMatchesTheDocument(.sqlite)
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, TestDatabase.postgresSkipReason))
    func test_partner_tool_reads_and_writes_people_petitions_events_and_forms_on_postgres() async throws {
        try await partnerDayIsAuditedAndMatchesTheDocument(.postgres)
    }

    /// The answers, checked by the `jsonschema` package against `openapi.json` (see openapi_validate.py).
    static func validateAgainstDocument(_ answers: [String]) async throws {
        guard let python = validatorPython else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let answersFile = folder.appendingPathComponent("answers.jsonl")
        try answers.joined(separator: "\n").write(to: answersFile, atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/openapi_validate.py")
        let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CommonsWeb/Resources/openapi.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, document.path, answersFile.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: await output.fileHandleForReading.readAllWithoutBlocking(), as: UTF8.self)
        await process.exited()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("answers checked"), "\(text)")
    }

    /// A Python with `jsonschema` (CI installs it beside aiosmtpd).
    static var validatorPython: String? {
        ProcessInfo.processInfo.environment["COMMONS_TEST_OPENAPI_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    }

    @Test(.enabled(if: validatorPython != nil, "set COMMONS_TEST_OPENAPI_PYTHON to a Python with jsonschema (.ci/run does)"))
    func test_the_validator_catches_an_answer_that_breaks_the_document() async throws {
        // The check itself can fail: a person without its required fields is reported.
        let bad = #"{"method": "GET", "path": "/api/v1/people/x", "status": 200, "content_type": "application/hal+json", "body": {"given_name": 3}}"#
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try bad.write(to: folder.appendingPathComponent("bad.jsonl"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.validatorPython!)
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        process.arguments = [
            here.appendingPathComponent("Support/openapi_validate.py").path,
            here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/CommonsWeb/Resources/openapi.json").path,
            folder.appendingPathComponent("bad.jsonl").path,
        ]
        process.standardOutput = Pipe()
        try process.run()
        await process.exited()
        #expect(process.terminationStatus == 1)
    }

    @Test func test_a_revoked_token_stops_at_once_and_reads_are_audited() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let admin = try await addStaff(site, email: "admin@example.org", role: .admin)
        try await site.run { client in
            let browser = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            // An admin makes a token in the staff area: shown once, then only its name.
            let made = try await browser.post(client, "/admin/api-tokens", [("name", "union database"), ("scope", "read"), ("expires", "30")])
            #expect(made.status == .ok)
            let secret = try #require(made.text.firstMatch(of: /commons_[A-Za-z0-9_-]{43}/).map { String($0.output) })
            let list = try await browser.get(client, "/admin/api-tokens")
            #expect(list.text.contains("union database"))
            #expect(!list.text.contains(secret))
            let api = APIClientRecorder(client, token: secret)
            #expect(try await api.get("/api/v1/people").status == .ok)
            #expect(try await api.call(.post, "/api/v1/people", json: person("Ada", "ada@example.org")).status == .forbidden)
            #expect(try await browser.get(client, "/admin/api-tokens").text.contains("<time"), "the last use is shown")

            let tokenID = try await site.withStore { store in try await APIToken.query(on: store.database).first()!.requireID() }
            #expect(try await browser.post(client, "/admin/api-tokens/\(tokenID)/revoke").status == .seeOther)
            #expect(try await api.get("/api/v1/people").status == .unauthorized)

            let lines = try await site.withStore { store in try await AuditEntry.query(on: store.database).sort(\.$at).all() }
            #expect(lines.contains { $0.action == "api_token.created" && $0.actorID == admin })
            #expect(lines.contains { $0.action == "api_token.revoked" && $0.actorID == admin })
            #expect(lines.contains { $0.action == "api.people_read" && $0.detail == "api-token=union database filter=all rows=0" })
        }
    }

    @Test func test_each_token_is_held_to_its_rate_limit_with_retry_after() async throws {
        var made = try await TestSite.make()
        made.settings.apiRateLimit = 3
        let site = made
        defer { Task { await site.destroy() } }
        let first = try await Self.token(site, .read)
        let second = try await Self.token(site, .read, name: "another tool")
        try await site.run { client in
            let api = APIClientRecorder(client, token: first)
            for _ in 0..<3 { #expect(try await api.get("/api/v1/tags").status == .ok) }
            let refused = try await api.get("/api/v1/tags")
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(refused.body["status"] as? Int == 429)
            #expect(try await api.call(.get, "/api/v1/tags", token: second).status == .ok, "another token has its own budget")
        }
    }

    @Test func test_the_openapi_document_is_served_and_lists_every_api_route() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let (router, _, app) = try await site.routedApplication()
        let served = Set(router.routes.map { "\($0.method) \(StaffTests.normalized($0.path.description))" }.filter { $0.contains(" /api/") })
        try await app.test(.router) { client in
            let response = try await client.get("/api/v1/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, item in item.keys.filter { $0 != "parameters" }.map { "\($0.uppercased()) \(path)" } })
            #expect(
                served == documented,
                "served but not documented: \(served.subtracting(documented)); documented but not served: \(documented.subtracting(served))"
            )
        }
    }
}

extension String {
    /// As a query parameter's value.
    var urlQueryEncoded: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self }
}

@Suite("Token command")
struct TokenCommandTests {
    @Test(.enabled(if: ServerProcessTests.executable != nil, "the commons executable is not built (run swift build first)"))
    func test_token_add_prints_a_working_token_once_and_refuses_bad_input() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let commands = StaffCommandTests()
        let made = try await commands.run(
            ["token", "add", "--name", "union database", "--scope", "write", "--expires", "30"],
            dataDirectory: site.settings.dataDirectory
        )
        #expect(made.status == 0)
        let secret = try #require(made.output.firstMatch(of: /commons_[A-Za-z0-9_-]{43}/).map { String($0.output) })
        #expect(made.output.contains("shown once"))
        try await site.withStore { store in
            let tokens = APITokens(database: store.database, clock: .system)
            let token = try #require(try await tokens.authenticate(secret))
            #expect(token.scope == .write && token.name == "union database" && token.createdBy == nil)
            #expect(token.expiresAt.map { $0.timeIntervalSinceNow > 29 * 86_400 } == true)
            // Only the hash is stored.
            let rows = try await (store.database as! any SQLDatabase).raw("SELECT * FROM api_tokens").all()
            #expect(rows.count == 1)
            #expect(!(try rows[0].decode(column: "token_hash", as: String.self)).contains(secret))
            #expect(try await AuditEntry.query(on: store.database).filter(\.$action == "api_token.created").count() == 1)
        }
        for bad in [["--name", "", "--scope", "read"], ["--name", "x", "--scope", "admin"], ["--name", "x", "--scope", "read", "--expires", "0"]] {
            let refused = try await commands.run(["token", "add"] + bad, dataDirectory: site.settings.dataDirectory)
            #expect(refused.status != 0, "\(bad)")
            #expect(refused.output.firstMatch(of: /commons_[A-Za-z0-9_-]{43}/) == nil)
        }
    }
}
