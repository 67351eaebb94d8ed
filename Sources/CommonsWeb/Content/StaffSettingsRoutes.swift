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
        group.get(StaffPath.Pattern.settings) { _, context in
            let settings = try await site.siteSettings.all()
            var values: [String: String] = [:]
            for key in [SiteSettingKey.siteName, .tagline, .contactEmail, .missionPage, .platformPage] { values[key.rawValue] = settings[key] ?? "" }
            return try await editor(values: values, context)
        }
        group.post(StaffPath.Pattern.settings) { request, context in try await save(request, context) }
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
        ]
        let layout = try await site.staffLayout(
            title: strings["staff.nav_settings"],
            path: StaffPath.settings,
            staff: context.staff,
            language: context.language
        )
        let model = StaffFormPage(
            layout: layout,
            heading: strings["staff.nav_settings"],
            action: StaffPath.settings,
            fields: fields,
            errors: errors,
            strings: strings,
            submitLabel: strings["staff.save"]
        )
        return site.views.page(.staffForm, model, status: status)
    }

    func save(_ request: Request, _ context: Context) async throws -> Response {
        let fields = context.form.fields
        var errors = ValidationErrors()
        let name = Normalization.text(fields[SiteSettingKey.siteName.rawValue] ?? "")
        if name.isEmpty { errors.add(field: SiteSettingKey.siteName.rawValue, message: "error.site_name_required") }
        if name.count > 200 { errors.add(field: SiteSettingKey.siteName.rawValue, message: "error.title_too_long") }
        let email = fields[SiteSettingKey.contactEmail.rawValue]?.trimmingCharacters(in: .whitespaces) ?? ""
        // Printed in a mailto: link on every page: the same address rule as everyone's.
        if !email.isEmpty, !EmailAddress.isValid(EmailAddress.normalize(email)) {
            errors.add(field: SiteSettingKey.contactEmail.rawValue, message: "error.email_invalid")
        }
        for key in [SiteSettingKey.missionPage, .platformPage] {
            if let raw = fields[key.rawValue], !raw.isEmpty,
                try await UUID(uuidString: raw).asyncFlatMap({ try await site.pages.page(id: $0) }) == nil
            {
                errors.add(field: key.rawValue, message: "error.page_invalid")
            }
        }
        guard errors.isEmpty else { return try await editor(values: fields, errors: errors, status: .unprocessableContent, context) }
        let now = site.clock.now
        try await site.database.transaction { db in
            let settings = SiteSettings(database: db)
            try await settings.set(.siteName, to: name)
            try await settings.set(.tagline, to: Normalization.text(fields[SiteSettingKey.tagline.rawValue] ?? ""))
            try await settings.set(.contactEmail, to: email)
            try await settings.set(.missionPage, to: fields[SiteSettingKey.missionPage.rawValue] ?? "")
            try await settings.set(.platformPage, to: fields[SiteSettingKey.platformPage.rawValue] ?? "")
            try await AuditLog(database: db).record("settings.changed", by: context.staff.accountID, at: now)
        }
        return Response.redirect(to: StaffPath.settings, type: .normal)
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
