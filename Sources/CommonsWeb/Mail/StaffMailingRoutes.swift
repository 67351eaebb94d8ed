import CommonsCore
import CommonsMail
import CommonsOrganizing
import Foundation
import Hummingbird

/// Mailings (organizers and admins): write one per language, choose the audience with the
/// supporter list's filters, see how many it reaches, preview, send a test to yourself, then
/// send now or at a time, and follow its progress.
struct StaffMailingRoutes {
    typealias Context = StaffContext<SupportersArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.mailings) { _, context in try await list(context) }
        group.get(StaffPath.newMailing) { _, context in try await editor(nil, values: [:], context) }
        group.post(StaffPath.mailings) { _, context in try await save(nil, context) }
        group.get(StaffPath.mailing) { _, context in
            let (mailing, versions) = try await mailing(context)
            if mailing.status == .draft { return try await editor(mailing, values: values(mailing, versions), context) }
            return try await progress(mailing, versions, context)
        }
        group.post(StaffPath.mailing) { _, context in try await save(try await mailing(context).mailing, context) }
        group.post(StaffPath.mailingTest) { _, context in
            let (mailing, versions) = try await mailing(context)
            let version = versions.first { $0.language == context.language.code } ?? versions.first { $0.language == "en" }
            if let version {
                let me = MailRecipient(
                    supporterID: UUID.random(),
                    email: context.staff.email,
                    language: version.language,
                    givenName: context.staff.name
                )
                var message = site.letters.mailing(version, to: me, siteName: try await site.siteName())
                message.subject = "[TEST] " + message.subject
                try await site.outbox.enqueue(message, kind: .test, mailingID: nil, on: site.database)
            }
            return Response.redirect(to: context.link(StaffPath.mailing, try mailing.requireID()), type: .normal)
        }
        group.post(StaffPath.mailingSend) { request, context in
            try await site.stepUp(request, context) {
                let (mailing, _) = try await mailing(context)
                try await site.mailings.send(
                    try mailing.requireID(),
                    at: mailing.sendAt,
                    by: .staff(context.staff.accountID),
                    outbox: site.outbox,
                    compose: site.letters.mailingComposer(siteName: try await site.siteName())
                )
                return Response.redirect(to: context.link(StaffPath.mailing, try mailing.requireID()), type: .normal)
            }
        }
    }

    func mailing(_ context: Context) async throws -> (mailing: Mailing, versions: [MailingVersion]) {
        guard let found = try await site.mailings.mailing(context.parameters.uuid("id")) else { throw SiteError.notFound }
        return found
    }

    func list(_ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        var rows: [StaffListPage.Row] = []
        for mailing in try await site.mailings.all() {
            let subject = mailing.versions.first { $0.language == "en" }?.subject ?? ""
            rows.append(
                StaffListPage.Row(
                    title: subject,
                    url: context.link(StaffPath.mailing, try mailing.requireID()),
                    cells: [
                        strings["staff.mailing_\(mailing.status.rawValue)"], formatting.date(mailing.queuedAt ?? mailing.sendAt ?? mailing.updatedAt),
                        String(mailing.recipients),
                    ]
                )
            )
        }
        return try await site.staffList(
            heading: strings["staff.nav_mailings"],
            path: context.link(StaffPath.mailings),
            newURL: context.link(StaffPath.newMailing),
            newLabel: strings["staff.new_mailing"],
            columns: [strings["staff.mailing_subject"], strings["staff.status"], strings["staff.mailing_date"], strings["staff.mailing_recipients"]],
            rows: rows,
            staff: context.staff,
            language: context.language
        )
    }

    func progress(_ mailing: Mailing, _ versions: [MailingVersion], _ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let progress = try await site.outbox.progress(ofMailing: try mailing.requireID())
        let url = context.link(StaffPath.mailing, try mailing.requireID())
        let rows = [("queued", progress.queued), ("sent", progress.sent), ("failed", progress.failed), ("suppressed", progress.suppressed)].map {
            StaffListPage.Row(title: strings["staff.mail_\($0.0)"], url: url, cells: [String($0.1)])
        }
        return try await site.staffList(
            heading: (versions.first { $0.language == "en" }?.subject ?? "") + " – " + strings["staff.mailing_\(mailing.status.rawValue)"],
            path: context.link(StaffPath.mailings),
            newURL: context.link(StaffPath.newMailing),
            newLabel: strings["staff.new_mailing"],
            columns: [strings["staff.status"], strings["staff.mailing_recipients"]],
            rows: rows,
            staff: context.staff,
            language: context.language
        )
    }
}
