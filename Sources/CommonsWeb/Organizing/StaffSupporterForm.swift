import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// Correcting a supporter's details.
extension StaffSupporterRoutes {
    func editor(
        _ id: UUID,
        values: [String: String],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        _ context: Context
    )
        async throws -> Response
    {
        let strings = site.strings(context.language)
        let messages = StaffFormPage.messages(errors, strings)
        let roles =
            [ActionForm.Option(value: "", label: strings["form.choose"], selected: false)]
            + SupporterRole.allCases.map {
                ActionForm.Option(
                    value: $0.rawValue,
                    label: strings["form.role_\($0.rawValue.replacingOccurrences(of: " ", with: "_"))"],
                    selected: false
                )
            }
        let languages =
            [ActionForm.Option(value: "", label: strings["form.choose"], selected: false)]
            + SupporterLanguage.codes.map { ActionForm.Option(value: $0, label: strings["language.\($0)"], selected: false) }
        let fields = [
            StaffField("given_name", .text, label: strings["form.given_name"], values: values, errors: messages),
            StaffField("family_name", .text, label: strings["form.family_name"], values: values, errors: messages),
            StaffField("email", .email, label: strings["form.email"], values: values, errors: messages),
            StaffField("phone", .text, label: strings["form.phone"], hint: strings["form.phone_hint"], values: values, errors: messages),
            StaffField("postal_code", .text, label: strings["form.postal_code"], values: values, errors: messages),
            StaffField("preferred_language", .select(languages), label: strings["form.preferred_language"], values: values, errors: messages),
            StaffField("role", .select(roles), label: strings["form.role"], values: values, errors: messages),
            StaffField("school", .text, label: strings["form.school"], values: values, errors: messages),
        ]
        let heading = strings["staff.edit_supporter"]
        var response = try await site.staffEditor(
            heading: heading,
            list: StaffPath.supporters,
            action: context.link(StaffPath.supporterEdit, id),
            fields: fields,
            errors: errors,
            status: status,
            links: [StaffLayout.NavigationItem(label: strings["staff.cancel"], url: context.link(StaffPath.supporter, id), isCurrent: false)],
            context
        )
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
