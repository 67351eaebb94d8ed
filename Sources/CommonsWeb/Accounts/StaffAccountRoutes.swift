import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// Staff accounts, for admins: add one, change a role, disable; recent sign-in throttling.
struct StaffAccountRoutes {
    typealias Context = StaffContext<AdministrationArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.accounts) { _, context in try await accountsPage(context) }
        group.post(StaffPath.accounts) { request, context in try await addAccount(request, context) }
        group.post(StaffPath.accountRole) { request, context in try await changeRole(request, context) }
        group.post(StaffPath.accountDisable) { _, context in try await disable(context) }
    }

    struct AccountsPage {
        struct Row {
            let email: String
            let name: String
            let roleOptions: [ActionForm.Option]
            let roleLabel: String
            let isDisabled: Bool
            let isSelf: Bool
            let roleURL: String
            let disableURL: String
        }

        struct Throttled {
            let at: String
            let account: String
        }

        let layout: StaffLayout
        let addURL: String
        let rows: [Row]
        /// Accounts whose sign-in was throttled after wrong passwords, this past week.
        let throttled: [Throttled]
        let roles: [ActionForm.Option]
        let values: [String: String]
        let errors: [String: String]
        let hasErrors: Bool
    }

    func accountsPage(
        _ context: StaffContext<AdministrationArea>,
        values: [String: String] = [:],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let accounts = try await StaffDirectory(database: site.database, clock: site.clock).all()
        let layout = try await site.staffLayout(
            title: strings["staff.nav_accounts"],
            path: context.link(StaffPath.accounts),
            staff: context.staff,
            language: context.language
        )
        func options(_ chosen: String) -> [ActionForm.Option] {
            Role.allCases.map { ActionForm.Option(value: $0.rawValue, label: strings["staff.role_\($0.rawValue)"], selected: $0.rawValue == chosen) }
        }
        let rows = accounts.map { account in
            AccountsPage.Row(
                email: account.email,
                name: account.name,
                roleOptions: options(account.role.rawValue),
                roleLabel: strings["staff.role_\(account.role.rawValue)"],
                isDisabled: !account.isActive,
                isSelf: account.id == context.staff.accountID,
                roleURL: context.link(StaffPath.accountRole, account.id!),
                disableURL: context.link(StaffPath.accountDisable, account.id!)
            )
        }
        var messages: [String: String] = [:]
        for field in errors.fields { messages[field] = errors[field].map { strings[$0] } }
        let emails = Dictionary(uniqueKeysWithValues: accounts.compactMap { account in account.id.map { ($0, account.email) } })
        let formatter = ISO8601DateFormatter()
        let throttled = try await SignInDesk(database: site.database, clock: site.clock)
            .recentThrottling(since: site.clock.now.addingTimeInterval(-7 * 24 * 3600))
            .map {
                AccountsPage.Throttled(
                    at: formatter.string(from: $0.at),
                    account: $0.accountID.flatMap { emails[$0] } ?? strings["staff.unknown_email"]
                )
            }
        let model = AccountsPage(
            layout: layout,
            addURL: context.link(StaffPath.accounts),
            rows: rows,
            throttled: throttled,
            roles: options(values["role"] ?? Role.editor.rawValue),
            values: values,
            errors: messages,
            hasErrors: !errors.isEmpty
        )
        return site.views.page(.staffAccounts, model, status: status)
    }

    func addAccount(_ request: Request, _ context: StaffContext<AdministrationArea>) async throws -> Response {
        let fields = context.form.fields
        let role = Role(rawValue: fields["role"] ?? "")
        var found = ValidationErrors()
        if role == nil { found.add(field: "role", message: "error.role_invalid") }
        return try await saveOrShowAgain(found: found) {
            try await StaffDirectory(database: site.database, clock: site.clock).add(
                email: fields["email"] ?? "",
                name: fields["name"] ?? "",
                role: role ?? .editor,
                password: fields["password"] ?? "",
                by: context.staff.accountID
            )
            return context.link(StaffPath.accounts)
        } showAgain: { errors in
            var kept = fields
            kept["password"] = nil
            return try await accountsPage(context, values: kept, errors: errors, status: .unprocessableContent)
        }
    }

    func changeRole(_ request: Request, _ context: StaffContext<AdministrationArea>) async throws -> Response {
        let id = try accountID(context)
        let fields = context.form.fields
        guard let role = Role(rawValue: fields["role"] ?? "") else { throw SiteError.notFound }
        do {
            try await StaffDirectory(database: site.database, clock: site.clock).changeRole(of: id, to: role, by: context.staff.accountID)
        } catch AccountError.lastAdmin {
            return try await accountsPage(
                context,
                errors: ValidationErrors(field: "account", message: "error.last_admin"),
                status: .unprocessableContent
            )
        }
        return Response.redirect(to: context.link(StaffPath.accounts), type: .normal)
    }

    func disable(_ context: StaffContext<AdministrationArea>) async throws -> Response {
        do {
            try await StaffDirectory(database: site.database, clock: site.clock).disable(try accountID(context), by: context.staff.accountID)
        } catch AccountError.cannotDisableSelf {
            return try await accountsPage(
                context,
                errors: ValidationErrors(field: "account", message: "error.cannot_disable_self"),
                status: .unprocessableContent
            )
        }
        return Response.redirect(to: context.link(StaffPath.accounts), type: .normal)
    }

    func accountID(_ context: StaffContext<AdministrationArea>) throws -> UUID {
        try context.parameters.uuid("id")
    }
}
