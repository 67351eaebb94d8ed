import CommonsCore
import CommonsMail
import CommonsOrganizing
import Foundation
import Hummingbird

/// What `/my-data` shows: the form asking for a link, the same answer whatever was typed, or,
/// in a session, everything held about the person with the forms to correct, stop and erase.
struct MyDataPage {
    struct Fact {
        let label: String
        let value: String
    }

    struct Row {
        let date: String
        let what: String
        let title: String
        let details: String
    }

    /// Which of the three the page is, and what a form sent back.
    struct State {
        var report: SelfServiceReport? = nil
        var mail: [MailHistoryItem] = []
        var check: String? = nil
        var notice: String? = nil
        var sent = false
        var values: [String: String] = [:]
        var errors = ValidationErrors()
    }

    let layout: Layout
    let heading: String
    let showForm: Bool
    let action: String
    let token: String
    let email: String
    let emailError: String?
    let formError: String?
    let sent: Bool
    let hasReport: Bool
    let notice: String?
    let facts: [Fact]
    let actions: [Row]
    let hasActions: Bool
    let mail: [Row]
    let hasMail: Bool
    let tags: String?
    let kept: [String]
    let exportURL: String
    let check: String
    let correctAction: String
    let fields: [ActionForm.Field]
    let hasErrors: Bool
    let errorSummary: [ActionForm.ErrorLink]
    let newsAction: String
    let emailOptIn: Bool
    let smsOptIn: Bool
    let eraseURL: String
}

/// The JSON a person downloads: everything on their page, in fields a program can read.
struct MyDataExport: Encodable {
    struct Retention: Encodable {
        let supporterMonthsAfterLastAction: Int
        let rsvpDaysAfterEvent: Int
    }

    let person: Person
    let emailOptIn: Bool
    let smsOptIn: Bool
    let lastActionAt: Date
    let actions: [SelfServiceReport.ActionItem]
    let tags: [String]
    let mail: [MailHistoryItem]
    let retention: Retention

    init(_ report: SelfServiceReport, mail: [MailHistoryItem], retention: RetentionPolicy) {
        person = report.person
        emailOptIn = report.emailOptIn
        smsOptIn = report.smsOptIn
        lastActionAt = report.lastActionAt
        actions = report.actions
        tags = report.tags
        self.mail = mail
        self.retention = Retention(supporterMonthsAfterLastAction: retention.supporterMonths, rsvpDaysAfterEvent: retention.rsvpDays)
    }
}

extension MyDataRoutes {
    func render(_ state: MyDataPage.State, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        let yes = strings["mydata.yes"]
        let no = strings["mydata.no"]
        var facts: [MyDataPage.Fact] = []
        var rows: [MyDataPage.Row] = []
        var fields: [ActionForm.Field] = []
        if let report = state.report {
            let person = report.person
            let details: [(String, String?)] = [
                ("form.given_name", person.givenName), ("form.family_name", person.familyName), ("form.email", person.email),
                ("form.phone", person.phone), ("form.postal_code", person.postalCode),
                ("form.preferred_language", person.preferredLanguage.map { strings["language.\($0)"] }),
                ("form.role", person.role.map { strings["form.role_\($0.replacingOccurrences(of: " ", with: "_"))"] }),
                ("form.school", person.school),
            ]
            facts = details.map { .init(label: strings[$0.0], value: $0.1 ?? "") }
            facts.append(.init(label: strings["mydata.email_news"], value: report.emailOptIn ? yes : no))
            facts.append(.init(label: strings["mydata.text_messages"], value: report.smsOptIn ? yes : no))
            rows = report.actions.map { item in
                var details: [String] = []
                if let via = item.via { details.append(strings.format("mydata.via", ["member": via])) }
                if let version = item.consentVersion { details.append(strings.format("mydata.consent", ["version": version])) }
                if item.guests > 0 { details.append(strings.format("mydata.guests", ["count": String(item.guests)])) }
                if item.waitlisted { details.append(strings["mydata.waitlisted"]) }
                return .init(
                    date: formatting.dateTime(item.at),
                    what: strings["mydata.action_\(item.kind)"],
                    title: item.title,
                    details: details.joined(separator: " · ")
                )
            }
            // The correction form shows what is stored, or what was just typed.
            var values = state.values
            if values.isEmpty {
                for field in SelfService.correctable { values[field.rawValue] = person.value(field) ?? "" }
            }
            let form = ActionForm(
                action: "",
                token: "",
                asked: Set(SelfService.correctable),
                required: [],
                includeGuests: false,
                values: values,
                errors: state.errors,
                submitLabel: "",
                strings: strings,
                language: context.language
            )
            fields = form.fields.filter { $0.name != "email" && $0.name != "role" }
        }
        let mail = state.mail.map { item in
            MyDataPage.Row(
                date: formatting.dateTime(item.queuedAt),
                what: strings["mydata.mail_\(item.kind)"],
                title: item.mailingSubject ?? "",
                details: strings["mydata.mail_status_\(item.status)"]
            )
        }
        let retention = site.settings.retention
        let heading = strings["mydata.title"]
        let layout = try await site.layout(PageMeta(title: heading, description: strings["mydata.intro"], path: SitePath.myData()), context: context)
        let errorSummary = state.errors.fields.filter { $0 != "email" || state.report == nil }.compactMap { name in
            state.errors[name].map { ActionForm.ErrorLink(text: strings[$0], target: "#field-\(name.replacingOccurrences(of: "_", with: "-"))") }
        }
        let model = MyDataPage(
            layout: layout,
            heading: heading,
            showForm: state.report == nil && !state.sent,
            action: context.link(SitePath.myData),
            token: site.formTokens.issue(at: site.clock.now),
            email: state.report == nil ? state.values["email"] ?? "" : "",
            emailError: state.report == nil ? state.errors["email"].map { strings[$0] } : nil,
            formError: state.errors["form"].map { strings[$0] },
            sent: state.sent,
            hasReport: state.report != nil,
            notice: state.notice.map { strings[$0] },
            facts: facts,
            actions: rows,
            hasActions: !rows.isEmpty,
            mail: mail,
            hasMail: !mail.isEmpty,
            tags: state.report.flatMap { $0.tags.isEmpty ? nil : $0.tags.joined(separator: ", ") },
            kept: [
                strings.format("mydata.kept_supporter", ["months": String(retention.supporterMonths)]),
                strings.format("mydata.kept_rsvp", ["days": String(retention.rsvpDays)]),
            ],
            exportURL: context.link(SitePath.myDataExport),
            check: state.check ?? "",
            correctAction: context.link(SitePath.myDataCorrect),
            fields: fields,
            hasErrors: state.report != nil && !errorSummary.isEmpty,
            errorSummary: errorSummary,
            newsAction: context.link(SitePath.myDataNews),
            emailOptIn: state.report?.emailOptIn ?? false,
            smsOptIn: state.report?.smsOptIn ?? false,
            eraseURL: context.link(SitePath.myDataErase)
        )
        var response = site.views.page(.myData, model, status: status)
        response.headers[.cacheControl] = "private, no-store"
        return response
    }
}
