import CommonsAccounts
import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The site settings: its name, tagline, contact email, and which pages are the mission and platform.
struct StaffSettingsRoutes {
    typealias Context = StaffContext<AdministrationArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.settings) { _, context in
            let settings = try await site.siteSettings.all()
            var values: [String: String] = [:]
            for key in [SiteSettingKey.siteName, .tagline, .contactEmail, .missionPage, .platformPage, .embedOrigins] {
                values[key.rawValue] = settings[key] ?? ""
            }
            return try await editor(values: values, context)
        }
        group.post(StaffPath.settings) { request, context in try await save(request, context) }
    }

    func editor(
        values: [String: String],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        _ context: Context
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let messages = StaffFormPage.messages(errors, strings)
        let pages =
            [ActionForm.Option(value: "", label: strings["staff.none"], selected: false)]
            + (try await site.pages.all()).map { ActionForm.Option(value: $0.id!.uuidString, label: $0.title, selected: false) }
        let fields = [
            StaffField(SiteSettingKey.siteName.rawValue, .text, label: strings["staff.site_name"], values: values, errors: messages),
            StaffField(SiteSettingKey.tagline.rawValue, .text, label: strings["staff.tagline"], values: values, errors: messages),
            StaffField(SiteSettingKey.contactEmail.rawValue, .email, label: strings["staff.contact_email"], values: values, errors: messages),
            StaffField(SiteSettingKey.missionPage.rawValue, .select(pages), label: strings["staff.mission_page"], values: values, errors: messages),
            StaffField(SiteSettingKey.platformPage.rawValue, .select(pages), label: strings["staff.platform_page"], values: values, errors: messages),
            StaffField(
                SiteSettingKey.embedOrigins.rawValue,
                .textarea(rows: 4),
                label: strings["staff.embed_origins"],
                hint: strings["staff.embed_origins_hint"],
                values: values,
                errors: messages
            ),
        ]
        return try await site.staffEditor(
            heading: strings["staff.nav_settings"],
            list: StaffPath.settings,
            action: context.link(StaffPath.settings),
            fields: fields,
            errors: errors,
            status: status,
            context
        )
    }

    func save(_ request: Request, _ context: Context) async throws -> Response {
        let fields = context.form.fields
        var errors = ValidationErrors()
        func page(_ key: SiteSettingKey) -> UUID? {
            guard let raw = fields[key.rawValue], !raw.isEmpty else { return nil }
            guard let id = UUID(uuidString: raw) else {
                errors.add(field: key.rawValue, message: "error.page_invalid")
                return nil
            }
            return id
        }
        let identity = SiteSettings.Identity(
            siteName: fields[SiteSettingKey.siteName.rawValue] ?? "",
            tagline: fields[SiteSettingKey.tagline.rawValue] ?? "",
            contactEmail: fields[SiteSettingKey.contactEmail.rawValue] ?? "",
            missionPage: page(.missionPage),
            platformPage: page(.platformPage),
            embedOrigins: fields[SiteSettingKey.embedOrigins.rawValue] ?? ""
        )
        return try await saveOrShowAgain(found: errors) {
            try await site.siteSettings.save(identity, by: .staff(context.staff.accountID), at: site.clock.now)
            return context.link(StaffPath.settings)
        } showAgain: { errors in
            try await editor(values: fields, errors: errors, status: .unprocessableContent, context)
        }
    }
}
