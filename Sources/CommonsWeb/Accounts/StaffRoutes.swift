import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The staff area's sign-in, dashboard, accounts and audit log. Every route is registered
/// in a group whose context type demands its role (see `StaffContext`).
struct StaffRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        let staff = router.group().add(middleware: StaffSessionMiddleware(site: site))
        staff.get(StaffPath.login) { _, context in try await loginPage(context) }
        staff.post(StaffPath.login) { request, context in try await login(request, context) }

        let signedIn = staff.group(context: StaffContext<AnyStaffArea>.self)
        signedIn.get(StaffPath.home) { _, context in try await dashboard(context) }
        signedIn.post(StaffPath.logout) { _, context in try await logout(context) }

        let administration = staff.group(context: StaffContext<AdministrationArea>.self)
        administration.get(StaffPath.accounts) { _, context in try await accountsPage(context) }
        administration.post(StaffPath.accounts) { request, context in try await addAccount(request, context) }
        administration.post(StaffPath.accountRole) { request, context in try await changeRole(request, context) }
        administration.post(StaffPath.accountDisable) { _, context in try await disable(context) }
        administration.get(StaffPath.audit) { request, context in try await auditPage(request, context) }
        StaffSettingsRoutes(site: site).register(on: administration)

        let content = staff.group(context: StaffContext<ContentArea>.self)
        StaffPostRoutes(site: site).register(on: content)
        StaffContentRoutes(site: site).register(on: content)
        StaffTranslationRoutes(site: site).register(on: content)
        let organizing = staff.group(context: StaffContext<OrganizingArea>.self)
        StaffOrganizingRoutes(site: site).register(on: organizing)
        registerTranslationEditors(content: content, organizing: organizing)
        StaffSupporterRoutes(site: site).register(on: staff.group(context: StaffContext<SupportersArea>.self))
    }

    /// Each original's translations, edited in the original's own area.
    func registerTranslationEditors(content: RouterGroup<StaffContext<ContentArea>>, organizing: RouterGroup<StaffContext<OrganizingArea>>) {
        let site = self.site
        StaffTranslationEditor<ContentArea>(site: site, subject: .post) { id in
            try await site.newsroom.post(id: id).map { .init(title: $0.title, summary: $0.summary, bodyHTML: $0.bodyHTML) }
        }.register(on: content)
        StaffTranslationEditor<ContentArea>(site: site, subject: .page) { id in
            try await site.pages.page(id: id).map { .init(title: $0.title, summary: $0.summary, bodyHTML: $0.bodyHTML) }
        }.register(on: content)
        StaffTranslationEditor<ContentArea>(site: site, subject: .document) { id in
            try await site.library.document(id: id).map { .init(title: $0.title, summary: nil, bodyHTML: HTMLText.escape($0.description)) }
        }.register(on: content)
        StaffTranslationEditor<OrganizingArea>(site: site, subject: .campaign) { id in
            try await site.campaigns.campaign(id: id).map { .init(title: $0.title, summary: nil, bodyHTML: $0.descriptionHTML) }
        }.register(on: organizing)
        StaffTranslationEditor<OrganizingArea>(site: site, subject: .event) { id in
            try await site.events.event(id: id).map { .init(title: $0.title, summary: nil, bodyHTML: $0.descriptionHTML) }
        }.register(on: organizing)
    }

    // MARK: Signing in and out

    struct LoginPage {
        let layout: StaffLayout
        let action: String
        let token: String
        let email: String
        let error: String?
    }

    func loginPage(_ context: AppRequestContext, email: String = "", error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response
    {
        let strings = site.strings(context.language)
        let layout = try await site.staffLayout(
            title: strings["staff.sign_in"],
            path: context.link(StaffPath.login),
            staff: nil,
            language: context.language
        )
        let model = LoginPage(
            layout: layout,
            action: context.link(StaffPath.login),
            token: site.formTokens.issue(at: site.clock.now),
            email: email,
            error: error
        )
        return site.views.page(.staffLogin, model, status: status)
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let strings = site.strings(context.language)
        let client = context.clientAddress ?? "unknown"
        if let wait = await site.signInLimiter.wait(client) { return try await locked(wait, context) }
        let fields = try await request.formFields(context: context)
        let email = fields["email"] ?? ""
        guard let raw = fields["form_token"], let token = site.formTokens.verify(raw),
            site.clock.now.timeIntervalSince(token.issuedAt) < SignInDesk.formLifetime
        else {
            return try await loginPage(context, email: email, error: strings["form.expired"], status: .unprocessableContent)
        }
        let desk = SignInDesk(database: site.database, clock: site.clock)
        let knownDevice = KnownDevice.isKnown(request, email: email, site: site)
        switch try await desk.signIn(email: email, password: fields["password"] ?? "", formID: token.id, knownDevice: knownDevice) {
        case .signedIn(let sessionToken, _):
            // A session this browser had before ends now: one browser, one live session.
            if let previous = request.cookies[StaffSessionMiddleware.cookieName]?.value, !previous.isEmpty {
                try await desk.signOut(token: previous)
            }
            var response = Response.redirect(to: context.link(StaffPath.home), type: .normal)
            response.setCookie(sessionCookie(sessionToken, maxAge: Int(SignInDesk.absoluteTimeout)))
            response.setCookie(KnownDevice.cookie(email: email, site: site))
            return response
        case .refused:
            await site.signInLimiter.record(client)
            // The same words whether the email is unknown or the password wrong.
            return try await loginPage(context, email: email, error: strings["staff.sign_in_refused"], status: .unauthorized)
        case .formReused:
            return try await loginPage(context, email: email, error: strings["form.expired"], status: .unprocessableContent)
        case .throttled(let wait):
            return try await locked(wait, context)
        }
    }

    func locked(_ wait: Int, _ context: AppRequestContext) async throws -> Response {
        var response = try await loginPage(
            context,
            error: site.strings(context.language).format("staff.locked_out", ["minutes": String((wait + 59) / 60)]),
            status: .tooManyRequests
        )
        response.headers[.retryAfter] = String(wait)
        return response
    }

    func logout(_ context: StaffContext<AnyStaffArea>) async throws -> Response {
        try await SignInDesk(database: site.database, clock: site.clock).signOut(token: context.staff.sessionToken)
        var response = Response.redirect(to: context.link(StaffPath.login), type: .normal)
        response.setCookie(sessionCookie("", maxAge: 0))
        return response
    }

    func sessionCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: StaffSessionMiddleware.cookieName,
            value: value,
            maxAge: maxAge,
            path: "/",
            secure: site.settings.baseURL.hasPrefix("https://"),
            httpOnly: true,
            sameSite: .lax
        )
    }

    // MARK: Dashboard

    struct Dashboard {
        let layout: StaffLayout
        let greeting: String
        let links: [StaffLayout.NavigationItem]
    }

    func dashboard(_ context: StaffContext<AnyStaffArea>) async throws -> Response {
        let strings = site.strings(context.language)
        let layout = try await site.staffLayout(
            title: strings["staff.dashboard"],
            path: context.link(StaffPath.home),
            staff: context.staff,
            language: context.language
        )
        let model = Dashboard(
            layout: layout,
            greeting: strings.format("staff.greeting", ["name": layout.staffName]),
            links: layout.navigation.filter { $0.url != context.link(StaffPath.home) }
        )
        return site.views.page(.staffDashboard, model)
    }

    // MARK: Accounts

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
        guard let role = Role(rawValue: fields["role"] ?? "") else {
            return try await accountsPage(
                context,
                values: fields,
                errors: ValidationErrors(field: "role", message: "error.role_invalid"),
                status: .unprocessableContent
            )
        }
        do {
            try await StaffDirectory(database: site.database, clock: site.clock).add(
                email: fields["email"] ?? "",
                name: fields["name"] ?? "",
                role: role,
                password: fields["password"] ?? "",
                by: context.staff.accountID
            )
        } catch let errors as ValidationErrors {
            var kept = fields
            kept["password"] = nil
            return try await accountsPage(context, values: kept, errors: errors, status: .unprocessableContent)
        }
        return Response.redirect(to: context.link(StaffPath.accounts), type: .normal)
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

    // MARK: Audit log

    struct AuditPage {
        struct Row {
            let at: String
            let actor: String
            let action: String
            let subject: String
            let detail: String
        }

        let layout: StaffLayout
        let rows: [Row]
        let nextURL: String?
        let previousURL: String?
    }

    func auditPage(_ request: Request, _ context: StaffContext<AdministrationArea>) async throws -> Response {
        let strings = site.strings(context.language)
        let page = try request.pageQuery()
        let (entries, hasMore) = try await AuditLog(database: site.database).page(page)
        let accounts = Dictionary(
            uniqueKeysWithValues: try await StaffDirectory(database: site.database, clock: site.clock).all().map { ($0.id!, $0.email) }
        )
        let formatter = ISO8601DateFormatter()
        let rows = entries.map { entry in
            AuditPage.Row(
                at: formatter.string(from: entry.at),
                actor: entry.actorID.map { accounts[$0] ?? $0.uuidString } ?? strings["staff.audit_system"],
                action: entry.action,
                subject: [entry.subjectType, entry.subjectID].compactMap { $0 }.joined(separator: " "),
                detail: entry.detail
            )
        }
        let layout = try await site.staffLayout(
            title: strings["staff.nav_audit"],
            path: context.link(StaffPath.audit),
            staff: context.staff,
            language: context.language
        )
        let model = AuditPage(
            layout: layout,
            rows: rows,
            nextURL: hasMore ? "\(context.link(StaffPath.audit))?page=\(page + 1)" : nil,
            previousURL: page > 1 ? "\(context.link(StaffPath.audit))?page=\(page - 1)" : nil
        )
        return site.views.page(.staffAudit, model)
    }
}
