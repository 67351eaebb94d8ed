import CommonsAudit
import CommonsCore
import CommonsOrganizing
import FluentKit
import Foundation
import Hummingbird

/// One supporter's page: details, actions, tags.
extension StaffSupporterRoutes {
    struct ShowPage {
        struct Fact {
            let label: String
            let value: String
        }

        struct ActionRow {
            let date: String
            let kind: String
            let title: String
            /// The member organization whose website the form was on, when it was embedded there.
            let via: String?
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
        /// What the person did on `/my-data` themselves, when (never what they saw).
        let selfService: [Fact]
        let hasSelfService: Bool
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
        let members = try await site.coalition.names()
        let rows = actions.map { line in
            ShowPage.ActionRow(
                date: formatter.string(from: line.action.createdAt),
                kind: strings["staff.action_\(line.action.kind.rawValue)"],
                title: line.title,
                via: line.action.viaMemberID.flatMap { members[$0] }.map { strings.format("staff.action_via", ["member": $0]) },
                consent: line.action.consentVersion.map { strings.format("staff.consent_given", ["version": $0]) } ?? "",
                submitted: line.differing.map { ShowPage.Fact(label: strings["form.\($0.field.rawValue)"], value: $0.value) },
                applyURL: line.differing.isEmpty ? nil : line.action.id.map { context.link(StaffPath.supporterApply, id, $0) }
            )
        }
        let selfService: [ShowPage.Fact] = try await AuditEntry.query(on: site.database).filter(\.$subjectType == "supporter")
            .filter(\.$subjectID == id.uuidString).filter(
                \.$action ~~ ["opened", "exported", "corrected", "news"].map { "supporter.self_service_\($0)" }
            )
            .sort(\.$at, .descending).limit(50).all()
            .map {
                .init(label: formatter.string(from: $0.at), value: strings["staff.\($0.action.replacingOccurrences(of: "supporter.", with: ""))"])
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
            applyError: errors["email"].map { strings[$0] },
            selfService: selfService,
            hasSelfService: !selfService.isEmpty
        )
        return site.views.page(.staffSupporter, model, status: status)
    }
}
