import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// A staff member's own account: two-factor sign-in (enrolment, recovery codes, turning it
/// off), their sessions, their password, and the step-up form of pages that ask for it.
struct OwnAccountRoutes {
    let site: Site

    func register(enrolment: RouterGroup<StaffContext<EnrolmentArea>>, signedIn: RouterGroup<StaffContext<AnyStaffArea>>) {
        enrolment.get(StaffPath.twoFactor) { _, context in try await twoFactorPage(context) }
        enrolment.post(StaffPath.twoFactor) { _, context in try await enrol(context) }
        signedIn.post(StaffPath.twoFactorRecoveryCodes) { request, context in
            try await site.stepUp(request, context) {
                do {
                    let codes = try await site.twoFactor.regenerateRecoveryCodes(context.staff.accountID)
                    return try await twoFactorPage(context, recoveryCodes: codes)
                } catch TwoFactorError.notEnabled {
                    return Response.redirect(to: context.link(StaffPath.twoFactor), type: .normal)
                }
            }
        }
        signedIn.post(StaffPath.twoFactorDisable) { request, context in
            try await site.stepUp(request, context) {
                try await site.twoFactor.disable(context.staff.accountID, by: .staff(context.staff.accountID), keeping: context.staff.sessionToken)
                return Response.redirect(to: context.link(StaffPath.twoFactor), type: .normal)
            }
        }
        signedIn.get(StaffPath.sessions) { _, context in try await sessionsPage(context) }
        signedIn.post(StaffPath.sessionEnd) { _, context in
            let handle = context.form.fields["session"] ?? ""
            try await SignInDesk(database: site.database, clock: site.clock).endSession(
                handle: handle,
                of: context.staff.accountID,
                by: context.staff.accountID
            )
            return Response.redirect(to: context.link(StaffPath.sessions), type: .normal)
        }
        signedIn.post(StaffPath.sessionsEndOthers) { _, context in
            try await SignInDesk(database: site.database, clock: site.clock).endSessions(
                of: context.staff.accountID,
                except: context.staff.sessionToken,
                by: context.staff.accountID
            )
            return Response.redirect(to: context.link(StaffPath.sessions), type: .normal)
        }
        signedIn.get(StaffPath.password) { _, context in try await passwordPage(context) }
        signedIn.post(StaffPath.password) { _, context in try await changePassword(context) }
        signedIn.post(StaffPath.stepUp) { request, context in try await site.confirmStepUp(request, context) }
    }

    // MARK: - Two-factor

    struct TwoFactorPage {
        let layout: StaffLayout
        let accountNavigation: [StaffLayout.NavigationItem]
        let mustEnrol: Bool
        let enabled: Bool
        let enabledAt: String?
        let recoveryCodesLeft: String?
        /// Shown once, just after enrolment or replacement.
        let recoveryCodes: [String]
        let hasRecoveryCodes: Bool
        let enrolment: Enrolment?
        let regenerateURL: String
        let disableURL: String
        let continueURL: String
        let error: String?

        struct Enrolment {
            let action: String
            let link: String
            let secret: String
            let qrCode: String
        }
    }

    func twoFactorPage(
        _ context: StaffContext<some StaffArea>,
        recoveryCodes: [String] = [],
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let accountID = context.staff.accountID
        let twoFactor = site.twoFactor
        let state = try await twoFactor.status(of: accountID)
        let layout = try await site.staffLayout(
            title: strings["staff.two_factor_title"],
            path: context.link(StaffPath.twoFactor),
            staff: context.staff,
            language: context.language
        )
        var enrolment: TwoFactorPage.Enrolment?
        if state.enabledAt == nil {
            let secret = try await twoFactor.pendingSecret(for: accountID)
            let issuer = try await site.siteSettings.value(.siteName) ?? "Commons"
            let link = TOTP.link(secret: secret, issuer: issuer, account: context.staff.email)
            let grouped = Base32.encode(secret).enumerated().map { $0.offset > 0 && $0.offset % 4 == 0 ? " \($0.element)" : "\($0.element)" }.joined()
            enrolment = .init(
                action: context.link(StaffPath.twoFactor),
                link: link,
                secret: grouped,
                qrCode: QRCode(link)?.svg(label: strings["staff.two_factor_qr_label"]) ?? ""
            )
        }
        let formatting = site.formatting(context.language)
        let model = TwoFactorPage(
            layout: layout,
            accountNavigation: accountNavigation(context, StaffPath.twoFactor),
            mustEnrol: context.staff.mustEnrol,
            enabled: state.enabledAt != nil,
            enabledAt: state.enabledAt.map { formatting.dateTime($0) },
            recoveryCodesLeft: state.enabledAt == nil
                ? nil : strings.format("staff.two_factor_codes_left", ["count": String(state.recoveryCodesLeft)]),
            recoveryCodes: recoveryCodes,
            hasRecoveryCodes: !recoveryCodes.isEmpty,
            enrolment: recoveryCodes.isEmpty ? enrolment : nil,
            regenerateURL: context.link(StaffPath.twoFactorRecoveryCodes),
            disableURL: context.link(StaffPath.twoFactorDisable),
            continueURL: context.link(StaffPath.home),
            error: error
        )
        return site.views.page(.staffTwoFactor, model, status: status)
    }

    /// Confirms enrolment with a code from the new secret; shows the recovery codes once.
    func enrol(_ context: StaffContext<EnrolmentArea>) async throws -> Response {
        do {
            let codes = try await site.twoFactor.enable(
                context.staff.accountID,
                code: context.form.fields["code"] ?? "",
                keeping: context.staff.sessionToken
            )
            // The page is drawn for the account as it is now: enrolled.
            var context = context
            context.staff = context.staff.enrolled()
            return try await twoFactorPage(context, recoveryCodes: codes)
        } catch TwoFactorError.wrongCode {
            return try await twoFactorPage(
                context,
                error: site.strings(context.language)["staff.two_factor_code_refused"],
                status: .unprocessableContent
            )
        }
    }

    /// Links between the three pages of one's own account, `here` marked current.
    func accountNavigation(_ context: StaffContext<some StaffArea>, _ here: Route) -> [StaffLayout.NavigationItem] {
        let strings = site.strings(context.language)
        return [
            ("staff.two_factor_title", StaffPath.twoFactor), ("staff.sessions_title", StaffPath.sessions),
            ("staff.password_title", StaffPath.password),
        ]
        .map { key, route in
            let url = context.link(route)
            return StaffLayout.NavigationItem(label: strings[key], url: url, isCurrent: route.pattern == here.pattern)
        }
    }
}
