import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The staff area: every staff route, each registered in a group whose context type demands
/// its role (see `StaffContext`), behind the session middleware; and the staff home page.
struct StaffRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        let staff = router.group().add(middleware: StaffSessionMiddleware(site: site))
        let signedIn = staff.group(context: StaffContext<AnyStaffArea>.self)
        let enrolment = staff.group(context: StaffContext<EnrolmentArea>.self)
        SignInRoutes(site: site).register(open: staff, signedIn: enrolment)
        OwnAccountRoutes(site: site).register(enrolment: enrolment, signedIn: signedIn)
        signedIn.get(StaffPath.home) { _, context in try await dashboard(context) }

        let administration = staff.group(context: StaffContext<AdministrationArea>.self)
        StaffAccountRoutes(site: site).register(on: administration)
        AuditLogRoutes(site: site).register(on: administration)
        StaffSettingsRoutes(site: site).register(on: administration)
        StaffAPITokenRoutes(site: site).register(on: administration)
        StaffWebhookRoutes(site: site).register(on: administration)

        let content = staff.group(context: StaffContext<ContentArea>.self)
        StaffPostRoutes(site: site).register(on: content)
        StaffPageRoutes(site: site).register(on: content)
        StaffDocumentRoutes(site: site).register(on: content)
        StaffDatasetRoutes(site: site).register(on: content)
        StaffMemberRoutes(site: site).register(on: content)
        StaffTranslationRoutes(site: site).register(on: content)
        let organizing = staff.group(context: StaffContext<OrganizingArea>.self)
        StaffCampaignRoutes(site: site).register(on: organizing)
        StaffEventRoutes(site: site).register(on: organizing)
        registerTranslationEditors(content: content, organizing: organizing)
        let supporters = staff.group(context: StaffContext<SupportersArea>.self)
        StaffSupporterRoutes(site: site).register(on: supporters)
        StaffMailingRoutes(site: site).register(on: supporters)
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
        StaffTranslationEditor<ContentArea>(site: site, subject: .dataset) { id in
            try await site.data.dataset(id: id).map {
                .init(
                    title: $0.title,
                    summary: $0.columns.map(\.name).joined(separator: "\n"),
                    bodyHTML: HTMLText.escape($0.notes),
                    summaryLabel: "staff.column_labels"
                )
            }
        }.register(on: content)
        StaffTranslationEditor<ContentArea>(site: site, subject: .member) { id in
            try await site.coalition.member(id: id).map { .init(title: $0.name, summary: nil, bodyHTML: $0.descriptionHTML) }
        }.register(on: content)
        StaffTranslationEditor<OrganizingArea>(site: site, subject: .campaign) { id in
            try await site.campaigns.campaign(id: id).map { .init(title: $0.title, summary: nil, bodyHTML: $0.descriptionHTML) }
        }.register(on: organizing)
        StaffTranslationEditor<OrganizingArea>(site: site, subject: .event) { id in
            try await site.events.event(id: id).map { .init(title: $0.title, summary: nil, bodyHTML: $0.descriptionHTML) }
        }.register(on: organizing)
    }

    func dashboard(_ context: StaffContext<AnyStaffArea>) async throws -> Response {
        let strings = site.strings(context.language)
        let layout = try await site.staffLayout(
            title: strings["staff.dashboard"],
            path: context.link(StaffPath.home),
            staff: context.staff,
            language: context.language
        )
        let model = try await site.dashboard(for: context.staff, layout: layout, language: context.language)
        return site.views.page(.staffDashboard, model)
    }
}
