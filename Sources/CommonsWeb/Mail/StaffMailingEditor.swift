import CommonsContent
import CommonsCore
import CommonsMail
import CommonsOrganizing
import Foundation
import Hummingbird

/// The mailing editor: a subject and body per language, the audience, when to send.
extension StaffMailingRoutes {
    func values(_ mailing: Mailing, _ versions: [MailingVersion]) -> [String: String] {
        var values: [String: String] = [:]
        for version in versions {
            values["subject_\(version.language)"] = version.subject
            values["body_\(version.language)"] = version.body
        }
        if let audience = try? site.mailings.audience(of: mailing) {
            values["campaign"] = audience.campaignID?.uuidString.lowercased() ?? ""
            values["event"] = audience.eventID?.uuidString.lowercased() ?? ""
            values["tag"] = audience.tag ?? ""
            values["language"] = audience.language ?? ""
            // The filter's days, as the supporter list takes them (the last day is included).
            values["from"] = audience.from.map { String(LocalDateTime.format($0, in: site.settings.timeZone).prefix(10)) } ?? ""
            values["to"] =
                audience.until.map { String(LocalDateTime.format($0.addingTimeInterval(-86400), in: site.settings.timeZone).prefix(10)) } ?? ""
        }
        if let sendAt = mailing.sendAt { values["send_at"] = LocalDateTime.format(sendAt, in: site.settings.timeZone) }
        return values
    }

    /// Each written version as its readers will see it: the subject, then the body rendered,
    /// marked with its language and direction.
    func previewHTML(_ values: [String: String], _ strings: StringCatalog) -> String? {
        let parts = site.languages.compactMap { language -> String? in
            guard let body = values["body_\(language.code)"], !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            let subject = values["subject_\(language.code)"] ?? ""
            return "<h3>\(HTMLText.escape(strings["language.\(language.code)"]))</h3>"
                + "<section lang=\"\(language.tag)\" dir=\"\(language.isRightToLeft ? "rtl" : "ltr")\">"
                + "<p><strong>\(HTMLText.escape(subject))</strong></p>\(MarkdownRenderer().html(from: body))</section>"
        }
        return parts.isEmpty ? nil : parts.joined(separator: "\n")
    }

    func editor(
        _ mailing: Mailing?,
        values: [String: String],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        _ context: Context
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let messages = StaffFormPage.messages(errors, strings)
        func options(_ pairs: [(String, String)], _ name: String) -> [ActionForm.Option] {
            [ActionForm.Option(value: "", label: strings["staff.filter_any"], selected: false)]
                + pairs.map { ActionForm.Option(value: $0.0, label: $0.1, selected: values[name] == $0.0) }
        }
        let campaigns = try await site.campaigns.all().map { ($0.id!.uuidString.lowercased(), $0.title) }
        let events = try await site.events.all().map { ($0.id!.uuidString.lowercased(), $0.title) }
        let languages = site.languages.map { ($0.code, strings["language.\($0.code)"]) }
        var fields = [
            StaffField("campaign", .select(options(campaigns, "campaign")), label: strings["staff.campaign"], values: values, errors: messages),
            StaffField("event", .select(options(events, "event")), label: strings["staff.event"], values: values, errors: messages),
            StaffField("tag", .text, label: strings["staff.tag"], values: values, errors: messages),
            StaffField(
                "language",
                .select(options(languages, "language")),
                label: strings["staff.mailing_language"],
                values: values,
                errors: messages
            ),
            StaffField("from", .date, label: strings["staff.from"], values: values, errors: messages),
            StaffField("to", .date, label: strings["staff.to"], values: values, errors: messages),
            StaffField(
                "send_at",
                .datetime,
                label: strings["staff.mailing_send_at"],
                hint: strings["staff.mailing_send_at_hint"],
                values: values,
                errors: messages
            ),
        ]
        for language in site.languages {
            let name = strings["language.\(language.code)"]
            fields.append(
                StaffField(
                    "subject_\(language.code)",
                    .text,
                    label: strings.format("staff.mailing_subject_in", ["language": name]),
                    values: values,
                    errors: messages
                )
            )
            fields.append(
                StaffField(
                    "body_\(language.code)",
                    .textarea(rows: language == .english ? 12 : 4),
                    label: strings.format("staff.mailing_body_in", ["language": name]),
                    hint: language == .english ? strings["staff.mailing_body_hint"] : nil,
                    values: values,
                    errors: messages
                )
            )
        }
        var sideForms: [StaffFormPage.SideForm] = []
        var preview: String?
        if let mailing, let id = mailing.id {
            let count = try await site.mailings.recipients(try site.mailings.audience(of: mailing), outbox: site.outbox).count
            let when = mailing.sendAt.map { site.formatting(context.language).date($0) }
            sideForms = [
                .init(action: context.link(StaffPath.mailingTest, id), label: strings["staff.mailing_send_test"], danger: false),
                .init(
                    action: context.link(StaffPath.mailingSend, id),
                    label: when.map { strings.format("staff.mailing_schedule", ["count": String(count), "when": $0]) }
                        ?? strings.format("staff.mailing_send_now", ["count": String(count)]),
                    danger: true
                ),
            ]
            preview = previewHTML(values, strings)
        }
        return try await site.staffEditor(
            heading: mailing == nil ? strings["staff.new_mailing"] : strings["staff.edit_mailing"],
            list: StaffPath.mailings,
            action: mailing.map { context.link(StaffPath.mailing, $0.id!) } ?? context.link(StaffPath.mailings),
            fields: fields,
            errors: errors,
            status: status,
            sideForms: sideForms,
            previewHTML: preview,
            context
        )
    }

    func save(_ mailing: Mailing?, _ context: Context) async throws -> Response {
        let fields = context.form.fields
        var errors = ValidationErrors()
        var versions: [String: (subject: String, body: String)] = [:]
        for language in site.languages {
            let subject = fields["subject_\(language.code)"] ?? ""
            let body = fields["body_\(language.code)"] ?? ""
            if !subject.isEmpty || !body.isEmpty { versions[language.code] = (subject, body) }
        }
        var sendAt: Date?
        if let raw = fields["send_at"], !raw.isEmpty {
            sendAt = LocalDateTime.parse(raw, in: site.settings.timeZone)
            if sendAt == nil { errors.add(field: "send_at", message: "error.date_invalid") }
        }
        /// A day as the supporter list takes it: the start of that day in the site's time zone.
        func day(_ name: String) -> Date? {
            guard let raw = fields[name], !raw.isEmpty else { return nil }
            guard let date = LocalDateTime.parse(raw + "T00:00", in: site.settings.timeZone) else {
                errors.add(field: name, message: "error.day_invalid")
                return nil
            }
            return date
        }
        let audience = MailingAudience(
            campaignID: fields["campaign"].flatMap(UUID.init(uuidString:)),
            eventID: fields["event"].flatMap(UUID.init(uuidString:)),
            tag: fields["tag"].flatMap { $0.isEmpty ? nil : $0 },
            language: fields["language"].flatMap { value in site.languages.contains { $0.code == value } ? value : nil },
            from: day("from"),
            until: day("to")?.addingTimeInterval(86400)
        )
        return try await saveOrShowAgain(found: errors) {
            let saved = try await site.mailings.save(
                MailingDraft(versions: versions, audience: audience, sendAt: sendAt),
                id: mailing?.id,
                by: context.staff.accountID
            )
            return context.link(StaffPath.mailing, try saved.requireID())
        } showAgain: { errors in
            try await editor(mailing, values: fields, errors: errors, status: .unprocessableContent, context)
        }
    }
}
