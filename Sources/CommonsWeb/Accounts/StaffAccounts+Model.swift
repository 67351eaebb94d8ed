import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The accounts page: every account with its role, and recent sign-in throttling.
extension StaffAccountRoutes {
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
            /// When two-factor sign-in was turned on; nil when it is off.
            let twoFactorSince: String?
            let endSessionsURL: String
            /// Nil for one's own account (turned off on one's own two-factor page) and when off.
            let resetTwoFactorURL: String?
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
        let formatting = site.formatting(context.language)
        let rows = accounts.map { account in
            AccountsPage.Row(
                email: account.email,
                name: account.name,
                roleOptions: options(account.role.rawValue),
                roleLabel: strings["staff.role_\(account.role.rawValue)"],
                isDisabled: !account.isActive,
                isSelf: account.id == context.staff.accountID,
                roleURL: context.link(StaffPath.accountRole, account.id!),
                disableURL: context.link(StaffPath.accountDisable, account.id!),
                twoFactorSince: account.twoFactorEnabledAt.map { formatting.date($0) },
                endSessionsURL: context.link(StaffPath.accountEndSessions, account.id!),
                resetTwoFactorURL: account.twoFactorEnabledAt != nil && account.id != context.staff.accountID
                    ? context.link(StaffPath.accountResetTwoFactor, account.id!) : nil
            )
        }
        let messages = StaffFormPage.messages(errors, strings)
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
}
