import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// Supporters for organizers and admins: search and filters, a supporter's page, tags,
/// deletion and the CSV export. Every look at personal data is written to the audit log.
struct StaffSupporterRoutes {
    typealias Context = StaffContext<SupportersArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.supporters) { request, context in try await list(request, context) }
        group.get(StaffPath.supportersExport) { request, context in try await export(request, context) }
        group.get(StaffPath.supporter) { _, context in try await show(try supporterID(context), context) }
        group.post(StaffPath.supporterTags) { request, context in
            let id = try supporterID(context)
            let fields = context.form.fields
            do {
                try await directory.addTag(fields["tag"] ?? "", to: id, by: .staff(context.staff.accountID))
            } catch let errors as ValidationErrors {
                return try await show(id, errors: errors, status: .unprocessableContent, context)
            }
            return Response.redirect(to: context.link(StaffPath.supporter, id), type: .normal)
        }
        group.post(StaffPath.supporterTagRemove) { request, context in
            let id = try supporterID(context)
            let fields = context.form.fields
            try await directory.removeTag(fields["tag"] ?? "", from: id, by: .staff(context.staff.accountID))
            return Response.redirect(to: context.link(StaffPath.supporter, id), type: .normal)
        }
        group.get(StaffPath.supporterEdit) { _, context in
            let id = try supporterID(context)
            guard let (record, _) = try await directory.detail(id, by: .staff(context.staff.accountID)) else { throw SiteError.notFound }
            let person = record.person
            let values = [
                "given_name": person.givenName ?? "", "family_name": person.familyName ?? "", "email": person.email ?? "",
                "phone": person.phone ?? "",
                "postal_code": person.postalCode ?? "", "preferred_language": person.preferredLanguage ?? "", "role": person.role ?? "",
                "school": person.school ?? "",
            ]
            return try await editor(id, values: values, context)
        }
        group.post(StaffPath.supporterEdit) { request, context in
            let id = try supporterID(context)
            var fields = context.form.fields
            fields["csrf_token"] = nil
            do {
                let person = try PersonForm.validate(fields, asked: PersonField.optional, required: [])
                try await directory.edit(id, to: person, by: .staff(context.staff.accountID))
            } catch let errors as ValidationErrors {
                return try await editor(id, values: fields, errors: errors, status: .unprocessableContent, context)
            }
            return Response.redirect(to: context.link(StaffPath.supporter, id), type: .normal)
        }
        group.post(StaffPath.supporterApply) { _, context in
            let id = try supporterID(context)
            let actionID = try context.parameters.uuid("action")
            // Applying what an unchecked form said is staff's decision, recorded with what changed.
            do {
                try await directory.applySubmission(actionID, to: id, by: .staff(context.staff.accountID))
            } catch let errors as ValidationErrors {
                return try await show(id, errors: errors, status: .unprocessableContent, context)
            }
            return Response.redirect(to: context.link(StaffPath.supporter, id), type: .normal)
        }
        group.get(StaffPath.supporterDelete) { _, context in try await confirmDelete(try supporterID(context), context) }
        group.post(StaffPath.supporterDelete) { _, context in
            let id = try supporterID(context)
            try await directory.delete(id, by: .staff(context.staff.accountID))
            return Response.redirect(to: context.link(StaffPath.supporters), type: .normal)
        }
    }

    var directory: SupporterDirectory { SupporterDirectory(database: site.database, keys: site.keys, clock: site.clock) }

    func supporterID(_ context: Context) throws -> UUID {
        try context.parameters.uuid("id")
    }

    /// The filter from the query string; unknown or malformed values are ignored.
    func filter(_ request: Request) -> SupporterFilter {
        var filter = SupporterFilter()
        filter.query = String((request.formQueryValue("q") ?? "").prefix(200))
        filter.campaignID = request.formQueryValue("campaign").flatMap(UUID.init(uuidString:))
        filter.eventID = request.formQueryValue("event").flatMap(UUID.init(uuidString:))
        filter.tag = request.formQueryValue("tag").flatMap { $0.isEmpty ? nil : $0 }
        filter.language = request.formQueryValue("language").flatMap { SupporterLanguage.codes.contains($0) ? $0 : nil }
        filter.role = request.formQueryValue("role").flatMap { SupporterRole(rawValue: $0)?.rawValue }
        filter.emailOptIn = request.formQueryValue("opted_in") == "yes"
        filter.from = request.formQueryValue("from").flatMap { StaffPostRoutes.parseLocalDateTime($0 + "T00:00", in: site.settings.timeZone) }
        filter.until = request.formQueryValue("to").flatMap {
            StaffPostRoutes.parseLocalDateTime($0 + "T00:00", in: site.settings.timeZone)?.addingTimeInterval(86400)
        }
        return filter
    }

    // MARK: List

    struct ListPage {
        struct Row {
            let name: String
            let url: String
            let email: String
            let phone: String
            let postalCode: String
            let tags: String
        }

        let layout: StaffLayout
        let action: String
        let query: String
        let campaigns: [ActionForm.Option]
        let events: [ActionForm.Option]
        let tags: [ActionForm.Option]
        let languages: [ActionForm.Option]
        let roles: [ActionForm.Option]
        let optedIn: Bool
        let from: String
        let to: String
        let rows: [Row]
        let summary: String
        let exportURL: String
        let nextURL: String?
        let previousURL: String?
    }

    func list(_ request: Request, _ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let filter = filter(request)
        let page = try request.pageQuery()
        let (records, total, pageCount) = try await directory.page(filter, page: page, by: .staff(context.staff.accountID))
        func option(_ value: String, _ label: String, _ chosen: String?) -> ActionForm.Option {
            ActionForm.Option(value: value, label: label, selected: value == (chosen ?? ""))
        }
        let any = strings["staff.filter_any"]
        let campaigns =
            [option("", any, nil)] + (try await site.campaigns.all()).map { option($0.id!.uuidString, $0.title, filter.campaignID?.uuidString) }
        let events = [option("", any, nil)] + (try await site.events.all()).map { option($0.id!.uuidString, $0.title, filter.eventID?.uuidString) }
        let tags = [option("", any, nil)] + (try await directory.allTags()).map { option($0, $0, filter.tag) }
        let languages = [option("", any, nil)] + SupporterLanguage.codes.map { option($0, strings["language.\($0)"], filter.language) }
        let roles =
            [option("", any, nil)]
            + SupporterRole.allCases.map {
                option($0.rawValue, strings["form.role_\($0.rawValue.replacingOccurrences(of: " ", with: "_"))"], filter.role)
            }
        let query = request.uri.query ?? ""
        let base = query.split(separator: "&").filter { !$0.hasPrefix("page=") }.joined(separator: "&")
        let rows = records.map { record in
            ListPage.Row(
                name: [record.person.givenName, record.person.familyName].compactMap { $0 }.joined(separator: " "),
                url: context.link(StaffPath.supporter, record.supporter.id!),
                email: record.person.email ?? "",
                phone: record.person.phone ?? "",
                postalCode: record.person.postalCode ?? "",
                tags: record.tags.joined(separator: ", ")
            )
        }
        let layout = try await site.staffLayout(
            title: strings["staff.nav_supporters"],
            path: context.link(StaffPath.supporters),
            staff: context.staff,
            language: context.language
        )
        let model = ListPage(
            layout: layout,
            action: context.link(StaffPath.supporters),
            query: filter.query,
            campaigns: campaigns,
            events: events,
            tags: tags,
            languages: languages,
            roles: roles,
            optedIn: filter.emailOptIn,
            from: request.formQueryValue("from") ?? "",
            to: request.formQueryValue("to") ?? "",
            rows: rows,
            summary: strings.format(
                "staff.supporters_summary",
                ["count": String(total), "page": String(min(page, pageCount)), "pages": String(pageCount)]
            ),
            exportURL: context.link(StaffPath.supportersExport) + (base.isEmpty ? "" : "?\(base)"),
            nextURL: page < pageCount ? "\(context.link(StaffPath.supporters))?\(base.isEmpty ? "" : base + "&")page=\(page + 1)" : nil,
            previousURL: page > 1 ? "\(context.link(StaffPath.supporters))?\(base.isEmpty ? "" : base + "&")page=\(page - 1)" : nil
        )
        return site.views.page(.staffSupporters, model)
    }

    // MARK: One supporter

    struct ShowPage {
        struct Fact {
            let label: String
            let value: String
        }

        struct ActionRow {
            let date: String
            let kind: String
            let title: String
            let consent: String
            /// What the form said where it differs from the record.
            let submitted: [Fact]
            let applyURL: String?
        }

        let layout: StaffLayout
        let name: String
        let facts: [Fact]
        let actions: [ActionRow]
        let tags: [String]
        let tagURL: String
        let tagRemoveURL: String
        let deleteURL: String
        let editURL: String
        let error: String?
        let applyError: String?
    }

    func show(_ id: UUID, errors: ValidationErrors = .init(), status: HTTPResponse.Status = .ok, _ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        guard let (record, actions) = try await directory.detail(id, by: .staff(context.staff.accountID)) else { throw SiteError.notFound }
        let person = record.person
        let formatter = ISO8601DateFormatter()
        let yes = strings["staff.yes"]
        let no = strings["staff.no"]
        let facts: [ShowPage.Fact] = [
            .init(label: strings["form.email"], value: person.email ?? ""), .init(label: strings["form.phone"], value: person.phone ?? ""),
            .init(label: strings["form.postal_code"], value: person.postalCode ?? ""),
            .init(label: strings["form.preferred_language"], value: person.preferredLanguage.map { strings["language.\($0)"] } ?? ""),
            .init(label: strings["form.role"], value: person.role ?? ""), .init(label: strings["form.school"], value: person.school ?? ""),
            .init(label: strings["staff.email_opt_in"], value: record.supporter.emailOptIn ? yes : no),
            .init(label: strings["staff.sms_opt_in"], value: record.supporter.smsOptIn ? yes : no),
        ]
        let rows = actions.map { line in
            ShowPage.ActionRow(
                date: formatter.string(from: line.action.createdAt),
                kind: strings["staff.action_\(line.action.kind.rawValue)"],
                title: line.title,
                consent: line.action.consentVersion.map { strings.format("staff.consent_given", ["version": $0]) } ?? "",
                submitted: line.differing.map { ShowPage.Fact(label: strings["form.\($0.field.rawValue)"], value: $0.value) },
                applyURL: line.differing.isEmpty ? nil : line.action.id.map { context.link(StaffPath.supporterApply, id, $0) }
            )
        }
        let name = [person.givenName, person.familyName].compactMap { $0 }.joined(separator: " ")
        let layout = try await site.staffLayout(
            title: name,
            path: context.link(StaffPath.supporters),
            staff: context.staff,
            language: context.language
        )
        let model = ShowPage(
            layout: layout,
            name: name,
            facts: facts,
            actions: rows,
            tags: record.tags,
            tagURL: context.link(StaffPath.supporterTags, id),
            tagRemoveURL: context.link(StaffPath.supporterTagRemove, id),
            deleteURL: context.link(StaffPath.supporterDelete, id),
            editURL: context.link(StaffPath.supporterEdit, id),
            error: errors["tag"].map { strings[$0] },
            applyError: errors["email"].map { strings[$0] }
        )
        return site.views.page(.staffSupporter, model, status: status)
    }

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
        let layout = try await site.staffLayout(
            title: heading,
            path: context.link(StaffPath.supporters),
            staff: context.staff,
            language: context.language
        )
        let model = StaffFormPage(
            layout: layout,
            heading: heading,
            action: context.link(StaffPath.supporterEdit, id),
            fields: fields,
            errors: errors,
            strings: strings,
            submitLabel: strings["staff.save"],
            links: [StaffLayout.NavigationItem(label: strings["staff.cancel"], url: context.link(StaffPath.supporter, id), isCurrent: false)]
        )
        var response = site.views.page(.staffForm, model, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct ConfirmPage {
        let layout: StaffLayout
        let heading: String
        let deleteURL: String
        let backURL: String
    }

    func confirmDelete(_ id: UUID, _ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        guard try await directory.exists(id) else { throw SiteError.notFound }
        let layout = try await site.staffLayout(
            title: strings["staff.delete_supporter"],
            path: context.link(StaffPath.supporters),
            staff: context.staff,
            language: context.language
        )
        let model = ConfirmPage(
            layout: layout,
            heading: strings["staff.delete_supporter"],
            deleteURL: context.link(StaffPath.supporterDelete, id),
            backURL: context.link(StaffPath.supporter, id)
        )
        return site.views.page(.staffConfirmDelete, model)
    }

    // MARK: Export

    /// The current filter as CSV, streamed a row at a time; the audit log records who, when,
    /// which filter and how many rows.
    func export(_ request: Request, _ context: Context) async throws -> Response {
        let filter = filter(request)
        let records = try await directory.export(filter, by: .staff(context.staff.accountID))
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"supporters.csv\""
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: SupporterCSV.headerLine()))
            for chunk in stride(from: 0, to: records.count, by: 200) {
                let lines = records[chunk..<min(chunk + 200, records.count)].map(SupporterCSV.line(for:)).joined()
                try await writer.write(ByteBuffer(string: lines))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
