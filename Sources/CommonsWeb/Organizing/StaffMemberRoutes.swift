import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// Member organizations in the staff area (editors and admins): their details and logo, how many
/// sign-ups came through their websites, and the snippets that put the coalition's forms there.
struct StaffMemberRoutes {
    typealias Context = StaffContext<ContentArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.members) { _, context in try await list(context) }
        group.get(StaffPath.newMember) { _, context in try await editor(nil, values: [:], context) }
        group.post(StaffPath.members) { _, context in try await save(nil, context) }
        group.get(StaffPath.member) { _, context in
            let member = try await member(context)
            return try await editor(member, values: Self.values(of: member), context)
        }
        group.post(StaffPath.member) { _, context in try await save(try await member(context), context) }
        group.post(StaffPath.deleteMember) { _, context in
            try await site.coalition.delete(try await member(context).requireID())
            return Response.redirect(to: context.link(StaffPath.members), type: .normal)
        }
    }

    func member(_ context: Context) async throws -> Member {
        guard let member = try await site.coalition.member(id: context.parameters.uuid("id")) else { throw SiteError.notFound }
        return member
    }

    func list(_ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let rows = try await site.coalition.all().map { member in
            StaffListPage.Row(
                title: member.name,
                url: context.link(StaffPath.member, member.id!),
                cells: [SitePath.member(member.slug), member.areaList.joined(separator: ", "), String(member.position)]
            )
        }
        return try await site.staffList(
            heading: strings["staff.nav_members"],
            path: context.link(StaffPath.members),
            newURL: context.link(StaffPath.newMember),
            newLabel: strings["staff.new_member"],
            columns: [strings["staff.member_name"], strings["staff.slug"], strings["coalition.serves"], strings["staff.member_position"]],
            rows: rows,
            staff: context.staff,
            language: context.language
        )
    }

    static func values(of member: Member) -> [String: String] {
        var values = [
            "title": member.name, "slug": member.slug, "description": member.description, "website": member.website, "areas": member.areas,
            "contact": member.contact, "position": String(member.position),
        ]
        for code in member.languageList { values["language_\(code)"] = "yes" }
        return values
    }

    func editor(
        _ member: Member?,
        values: [String: String],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        _ context: Context
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let messages = StaffFormPage.messages(errors, strings)
        let heading = member.map { strings.format("staff.edit_post", ["title": $0.name]) } ?? strings["staff.new_member"]
        var fields = [
            StaffField("title", .text, label: strings["staff.member_name"], values: values, errors: messages),
            StaffField("slug", .text, label: strings["staff.slug"], hint: strings["staff.slug_hint"], values: values, errors: messages),
            StaffField(
                "description",
                .textarea(rows: 6),
                label: strings["staff.description"],
                hint: strings["staff.body_hint"],
                values: values,
                errors: messages
            ),
            StaffField("website", .url, label: strings["coalition.website"], values: values, errors: messages),
            StaffField(
                "areas",
                .text,
                label: strings["coalition.serves"],
                hint: strings["staff.member_areas_hint"],
                values: values,
                errors: messages
            ),
            StaffField(
                "contact",
                .text,
                label: strings["coalition.contact"],
                hint: strings["staff.member_contact_hint"],
                values: values,
                errors: messages
            ),
            StaffField(
                "position",
                .number,
                label: strings["staff.member_position"],
                hint: strings["staff.member_position_hint"],
                values: values,
                errors: messages
            ),
            StaffField(
                "logo",
                .file(accept: ".png,.jpg,.jpeg,.webp,.svg,image/png,image/jpeg,image/webp,image/svg+xml"),
                label: strings[member?.logo == nil ? "staff.member_logo" : "staff.member_replace_logo"],
                hint: strings["staff.member_logo_hint"],
                values: values,
                errors: messages
            ),
        ]
        if member?.logo != nil {
            fields.append(StaffField("remove_logo", .checkbox, label: strings["staff.member_remove_logo"], values: values, errors: messages))
        }
        for code in SupporterLanguage.codes {
            fields.append(
                StaffField(
                    "language_\(code)",
                    .checkbox,
                    label: strings.format("staff.member_speaks", ["language": strings["language.\(code)"]]),
                    values: values,
                    errors: messages
                )
            )
        }
        let sideForms =
            member.map {
                [StaffFormPage.SideForm(action: context.link(StaffPath.deleteMember, $0.id!), label: strings["staff.delete_member"], danger: true)]
            } ?? []
        var panels: [StaffFormPage.Panel] = []
        if let member { panels = try await self.panels(for: member, context) }
        return try await site.staffEditor(
            heading: heading,
            list: StaffPath.members,
            action: member.map { context.link(StaffPath.member, $0.id!) } ?? context.link(StaffPath.members),
            fields: fields,
            errors: errors,
            status: status,
            publicURL: member.map { SitePath.member(in: context.language, $0.slug) },
            translated: (.member, member?.id),
            multipart: true,
            sideForms: sideForms,
            panels: panels,
            context
        )
    }

    func save(_ member: Member?, _ context: Context) async throws -> Response {
        let form = context.form
        let fields = form.fields
        var errors = ValidationErrors()
        var position: Int?
        if let raw = fields["position"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            position = Int(raw)
            if position == nil { errors.add(field: "position", message: "error.member_position") }
        }
        var draft = MemberDraft(
            name: fields["title"] ?? "",
            slug: fields["slug"],
            description: fields["description"] ?? "",
            website: fields["website"] ?? "",
            areas: fields["areas"] ?? "",
            languages: SupporterLanguage.codes.filter { fields["language_\($0)"] == "yes" },
            contact: fields["contact"] ?? "",
            position: position,
            removesLogo: fields["remove_logo"] == "yes"
        )
        if let logo = form.files["logo"], !logo.bytes.isEmpty { draft.logo = Array(logo.bytes) }
        return try await saveOrShowAgain(found: errors) {
            let saved =
                if let member { try await site.coalition.update(member.requireID(), with: draft) } else { try await site.coalition.add(draft) }
            return context.link(StaffPath.member, try saved.requireID())
        } showAgain: { errors in
            try await editor(member, values: fields, errors: errors, status: .unprocessableContent, context)
        }
    }
}
