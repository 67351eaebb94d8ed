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
        group.post(StaffPath.accounts) { request, context in try await site.stepUp(request, context) { try await addAccount(request, context) } }
        group.post(StaffPath.accountRole) { request, context in try await site.stepUp(request, context) { try await changeRole(request, context) } }
        group.post(StaffPath.accountDisable) { _, context in try await disable(context) }
        group.post(StaffPath.accountEndSessions) { _, context in
            try await SignInDesk(database: site.database, clock: site.clock).endSessions(
                of: try accountID(context),
                except: nil,
                by: context.staff.accountID
            )
            return Response.redirect(to: context.link(StaffPath.accounts), type: .normal)
        }
        group.post(StaffPath.accountResetTwoFactor) { request, context in
            try await site.stepUp(request, context) {
                let id = try accountID(context)
                guard try await StaffDirectory(database: site.database, clock: site.clock).account(id) != nil else { throw SiteError.notFound }
                // Resetting one's own would end the session doing it: that is what "turn off" is for.
                guard id != context.staff.accountID else { return Response.redirect(to: context.link(StaffPath.twoFactor), type: .normal) }
                try await site.twoFactor.disable(id, by: .staff(context.staff.accountID), keeping: nil)
                return Response.redirect(to: context.link(StaffPath.accounts), type: .normal)
            }
        }
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
