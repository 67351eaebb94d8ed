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
            for key in [SiteSettingKey.siteName, .tagline, .contactEmail, .missionPage, .platformPage, .embedOrigins, .primaryColor, .accentColor] {
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
        let look = SiteSettings.look(try await site.siteSettings.all())
        let pages =
            [ActionForm.Option(value: "", label: strings["staff.none"], selected: false)]
            + (try await site.pages.all()).map { ActionForm.Option(value: $0.id!.uuidString, label: $0.title, selected: false) }
        let fields =
            [
                StaffField(SiteSettingKey.siteName.rawValue, .text, label: strings["staff.site_name"], values: values, errors: messages),
                StaffField(SiteSettingKey.tagline.rawValue, .text, label: strings["staff.tagline"], values: values, errors: messages),
                StaffField(SiteSettingKey.contactEmail.rawValue, .email, label: strings["staff.contact_email"], values: values, errors: messages),
                StaffField(
                    SiteSettingKey.missionPage.rawValue,
                    .select(pages),
                    label: strings["staff.mission_page"],
                    values: values,
                    errors: messages
                ),
                StaffField(
                    SiteSettingKey.platformPage.rawValue,
                    .select(pages),
                    label: strings["staff.platform_page"],
                    values: values,
                    errors: messages
                ),
                StaffField(
                    SiteSettingKey.embedOrigins.rawValue,
                    .textarea(rows: 4),
                    label: strings["staff.embed_origins"],
                    hint: strings["staff.embed_origins_hint"],
                    values: values,
                    errors: messages
                ),
            ] + lookFields(look, values: values, messages: messages, strings: strings)
        return try await site.staffEditor(
            heading: strings["staff.nav_settings"],
            list: StaffPath.settings,
            action: context.link(StaffPath.settings),
            fields: fields,
            errors: errors,
            status: status,
            multipart: true,
            context
        )
    }

    /// The colours (white text sits on both), the logo and the link-preview picture.
    func lookFields(_ look: SiteSettings.Look, values: [String: String], messages: [String: String], strings: StringCatalog) -> [StaffField] {
        var fields = [
            StaffField(
                SiteSettingKey.primaryColor.rawValue,
                .text,
                label: strings["staff.primary_color"],
                hint: strings["staff.colour_hint"],
                values: values,
                errors: messages
            ),
            StaffField(
                SiteSettingKey.accentColor.rawValue,
                .text,
                label: strings["staff.accent_color"],
                hint: strings["staff.colour_hint"],
                values: values,
                errors: messages
            ),
            StaffField(
                SiteSettingKey.logoFile.rawValue,
                .file(accept: ".png,.jpg,.jpeg,.webp,.svg,image/png,image/jpeg,image/webp,image/svg+xml"),
                label: strings[look.logo == nil ? "staff.site_logo" : "staff.site_replace_logo"],
                hint: strings["staff.member_logo_hint"],
                values: values,
                errors: messages
            ),
        ]
        if look.logo != nil {
            fields.append(StaffField("remove_logo", .checkbox, label: strings["staff.site_remove_logo"], values: values, errors: messages))
        }
        fields.append(
            StaffField(
                SiteSettingKey.socialImageFile.rawValue,
                .file(accept: ".png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp"),
                label: strings[look.socialImage == nil ? "staff.social_image" : "staff.replace_social_image"],
                hint: strings["staff.social_image_hint"],
                values: values,
                errors: messages
            )
        )
        if look.socialImage != nil {
            fields.append(
                StaffField("remove_social_image", .checkbox, label: strings["staff.remove_social_image"], values: values, errors: messages)
            )
        }
        return fields
    }

    func save(_ request: Request, _ context: Context) async throws -> Response {
        let form = context.form
        let fields = form.fields
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
            embedOrigins: fields[SiteSettingKey.embedOrigins.rawValue] ?? "",
            primaryColor: fields[SiteSettingKey.primaryColor.rawValue] ?? "",
            accentColor: fields[SiteSettingKey.accentColor.rawValue] ?? "",
            logo: form.files[SiteSettingKey.logoFile.rawValue].map { Array($0.bytes) },
            removesLogo: fields["remove_logo"] == "yes",
            socialImage: form.files[SiteSettingKey.socialImageFile.rawValue].map { Array($0.bytes) },
            removesSocialImage: fields["remove_social_image"] == "yes"
        )
        return try await saveOrShowAgain(found: errors) {
            try await site.siteSettings.save(identity, by: .staff(context.staff.accountID), at: site.clock.now)
            return context.link(StaffPath.settings)
        } showAgain: { errors in
            try await editor(values: fields, errors: errors, status: .unprocessableContent, context)
        }
    }
}
