import CommonsAccounts
import CommonsCore
import CommonsPartners
import Foundation
import Hummingbird

/// API tokens, for admins: make one (its secret shown once), see each one's scope and last
/// use, revoke one (it stops at once).
struct StaffAPITokenRoutes {
    typealias Context = StaffContext<AdministrationArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.apiTokens) { _, context in try await page(context) }
        group.post(StaffPath.apiTokens) { request, context in try await site.stepUp(request, context) { try await create(context) } }
        group.post(StaffPath.apiTokenRevoke) { _, context in
            try await tokens.revoke(try context.parameters.uuid("id"), by: .staff(context.staff.accountID))
            return Response.redirect(to: context.link(StaffPath.apiTokens), type: .normal)
        }
    }

    var tokens: APITokens { APITokens(database: site.database, clock: site.clock) }

    struct Page {
        struct Row {
            let name: String
            let scope: String
            let created: String
            let createdISO: String
            let lastUsed: String?
            let lastUsedISO: String?
            let expires: String?
            let status: String
            let revokeURL: String?
        }

        let layout: StaffLayout
        let addURL: String
        let rows: [Row]
        let scopes: [ActionForm.Option]
        let values: [String: String]
        let errors: [String: String]
        let hasErrors: Bool
        /// The secret of the token just made: shown on this one page and never again.
        let newSecret: String?
        let newName: String?
        let apiURL: String
    }

    func create(_ context: Context) async throws -> Response {
        let fields = context.form.fields
        var errors = ValidationErrors()
        let scope = APIToken.Scope(rawValue: fields["scope"] ?? "")
        if scope == nil { errors.add(field: "scope", message: "error.token_scope_invalid") }
        var days: Int?
        if let raw = fields["expires"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            days = raw.utf8.count <= 5 ? Int(raw) : nil
            if days == nil { errors.add(field: "expires", message: "error.token_expiry_invalid") }
        }
        do {
            try errors.throwIfAny()
            let made = try await tokens.create(
                name: fields["name"] ?? "",
                scope: scope ?? .read,
                expiresInDays: days,
                by: .staff(context.staff.accountID)
            )
            return try await page(context, secret: made.secret, name: made.token.name)
        } catch let found as ValidationErrors {
            errors.add(found)
            return try await page(context, values: fields, errors: errors, status: .unprocessableContent)
        }
    }

    func page(
        _ context: Context,
        values: [String: String] = [:],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        secret: String? = nil,
        name: String? = nil
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        let now = site.clock.now
        let iso = ISO8601DateFormatter()
        let rows = try await tokens.all().map { token in
            let state =
                token.revokedAt != nil ? "revoked" : (token.expiresAt.map { $0 <= now } ?? false) ? "expired" : "active"
            return Page.Row(
                name: token.name,
                scope: strings["staff.api_token_scope_\(token.scope.rawValue)"],
                created: formatting.date(token.createdAt),
                createdISO: iso.string(from: token.createdAt),
                lastUsed: token.lastUsedAt.map { formatting.dateTime($0) },
                lastUsedISO: token.lastUsedAt.map { iso.string(from: $0) },
                expires: token.expiresAt.map { formatting.date($0) },
                status: strings["staff.api_token_\(state)"],
                revokeURL: state == "revoked" ? nil : context.link(StaffPath.apiTokenRevoke, token.id!)
            )
        }
        let messages = StaffFormPage.messages(errors, strings)
        let model = Page(
            layout: try await site.staffLayout(
                title: strings["staff.nav_api_tokens"],
                path: context.link(StaffPath.apiTokens),
                staff: context.staff,
                language: context.language
            ),
            addURL: context.link(StaffPath.apiTokens),
            rows: rows,
            scopes: APIToken.Scope.allCases.map {
                ActionForm.Option(
                    value: $0.rawValue,
                    label: strings["staff.api_token_scope_\($0.rawValue)"],
                    selected: $0.rawValue == (values["scope"] ?? "read")
                )
            },
            values: values,
            errors: messages,
            hasErrors: !errors.isEmpty,
            newSecret: secret,
            newName: name,
            apiURL: site.settings.baseURL + APIPath.entry()
        )
        return site.views.page(.staffAPITokens, model, status: status)
    }
}
