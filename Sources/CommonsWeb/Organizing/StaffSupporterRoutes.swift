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
        group.get(StaffPath.supportersExport) { request, context in try await site.stepUp(request, context) { try await export(request, context) } }
        group.get(StaffPath.supporter) { _, context in try await show(try supporterID(context), context) }
        group.post(StaffPath.supporterTags) { request, context in
            let id = try supporterID(context)
            return try await saveOrShowAgain {
                try await directory.addTag(context.form.fields["tag"] ?? "", to: id, by: .staff(context.staff.accountID))
                return context.link(StaffPath.supporter, id)
            } showAgain: { errors in
                try await show(id, errors: errors, status: .unprocessableContent, context)
            }
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
            return try await saveOrShowAgain {
                let person = try PersonForm.validate(fields, asked: PersonField.optional, required: [])
                try await directory.edit(id, to: person, by: .staff(context.staff.accountID))
                return context.link(StaffPath.supporter, id)
            } showAgain: { errors in
                try await editor(id, values: fields, errors: errors, status: .unprocessableContent, context)
            }
        }
        group.post(StaffPath.supporterApply) { _, context in
            let id = try supporterID(context)
            let actionID = try context.parameters.uuid("action")
            // Applying what an unchecked form said is staff's decision, recorded with what changed.
            return try await saveOrShowAgain {
                try await directory.applySubmission(actionID, to: id, by: .staff(context.staff.accountID))
                return context.link(StaffPath.supporter, id)
            } showAgain: { errors in
                try await show(id, errors: errors, status: .unprocessableContent, context)
            }
        }
        group.get(StaffPath.supporterDelete) { _, context in try await confirmDelete(try supporterID(context), context) }
        group.post(StaffPath.supporterDelete) { request, context in
            try await site.stepUp(request, context) {
                let id = try supporterID(context)
                try await directory.delete(id, by: .staff(context.staff.accountID))
                return Response.redirect(to: context.link(StaffPath.supporters), type: .normal)
            }
        }
    }

    var directory: SupporterDirectory { SupporterDirectory(database: site.database, keys: site.keys, clock: site.clock) }

    func supporterID(_ context: Context) throws -> UUID {
        try context.parameters.uuid("id")
    }
}
