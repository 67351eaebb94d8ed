import CommonsAccounts
import CommonsCore
import Foundation
import Hummingbird

/// One's own sessions (browser family, when started and last used; never an address) and password.
extension OwnAccountRoutes {
    // MARK: - Sessions

    struct SessionsPage {
        struct Row {
            let browser: String
            let started: String
            let lastSeen: String
            let isCurrent: Bool
            let handle: String
        }

        let layout: StaffLayout
        let accountNavigation: [StaffLayout.NavigationItem]
        let rows: [Row]
        let endURL: String
        let endOthersURL: String
        let hasOthers: Bool
    }

    func sessionsPage(_ context: StaffContext<AnyStaffArea>) async throws -> Response {
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        let current = SignInDesk.handle(ofToken: context.staff.sessionToken)
        let sessions = try await SignInDesk(database: site.database, clock: site.clock).sessions(of: context.staff.accountID)
        let rows = sessions.map { session in
            SessionsPage.Row(
                browser: session.browser ?? strings["staff.sessions_unknown_browser"],
                started: formatting.dateTime(session.createdAt),
                lastSeen: formatting.dateTime(session.lastSeenAt),
                isCurrent: session.handle == current,
                handle: session.handle
            )
        }
        let layout = try await site.staffLayout(
            title: strings["staff.sessions_title"],
            path: context.link(StaffPath.sessions),
            staff: context.staff,
            language: context.language
        )
        let model = SessionsPage(
            layout: layout,
            accountNavigation: accountNavigation(context, StaffPath.sessions),
            rows: rows,
            endURL: context.link(StaffPath.sessionEnd),
            endOthersURL: context.link(StaffPath.sessionsEndOthers),
            hasOthers: rows.contains { !$0.isCurrent }
        )
        return site.views.page(.staffSessions, model)
    }

    // MARK: - Password

    struct PasswordPage {
        let layout: StaffLayout
        let accountNavigation: [StaffLayout.NavigationItem]
        let action: String
        let errors: [String: String]
        let hasErrors: Bool
        let changed: Bool
    }

    func passwordPage(
        _ context: StaffContext<AnyStaffArea>,
        errors: ValidationErrors = .init(),
        changed: Bool = false,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let layout = try await site.staffLayout(
            title: strings["staff.password_title"],
            path: context.link(StaffPath.password),
            staff: context.staff,
            language: context.language
        )
        let messages = StaffFormPage.messages(errors, strings)
        let model = PasswordPage(
            layout: layout,
            accountNavigation: accountNavigation(context, StaffPath.password),
            action: context.link(StaffPath.password),
            errors: messages,
            hasErrors: !messages.isEmpty,
            changed: changed
        )
        return site.views.page(.staffPassword, model, status: status)
    }

    func changePassword(_ context: StaffContext<AnyStaffArea>) async throws -> Response {
        let fields = context.form.fields
        do {
            try await StaffDirectory(database: site.database, clock: site.clock).changePassword(
                of: context.staff.accountID,
                current: fields["current_password"] ?? "",
                new: fields["new_password"] ?? "",
                keeping: context.staff.sessionToken
            )
        } catch let errors as ValidationErrors {
            return try await passwordPage(context, errors: errors, status: .unprocessableContent)
        }
        return try await passwordPage(context, changed: true)
    }
}
