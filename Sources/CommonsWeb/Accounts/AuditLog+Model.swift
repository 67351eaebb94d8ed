import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The audit log's page: who did what, newest first, fifty a page.
extension AuditLogRoutes {
    struct AuditPage {
        struct Row {
            let at: String
            let actor: String
            let action: String
            let subject: String
            let detail: String
        }

        let layout: StaffLayout
        let rows: [Row]
        let nextURL: String?
        let previousURL: String?
    }

    func auditPage(_ request: Request, _ context: StaffContext<AdministrationArea>) async throws -> Response {
        let strings = site.strings(context.language)
        let page = try request.pageQuery()
        let (entries, hasMore) = try await AuditLog(database: site.database).page(page)
        let accounts = Dictionary(
            uniqueKeysWithValues: try await StaffDirectory(database: site.database, clock: site.clock).all().map { ($0.id!, $0.email) }
        )
        let formatter = ISO8601DateFormatter()
        let rows = entries.map { entry in
            AuditPage.Row(
                at: formatter.string(from: entry.at),
                actor: entry.actorID.map { accounts[$0] ?? $0.uuidString } ?? strings["staff.audit_system"],
                action: entry.action,
                subject: [entry.subjectType, entry.subjectID].compactMap { $0 }.joined(separator: " "),
                detail: entry.detail
            )
        }
        let layout = try await site.staffLayout(
            title: strings["staff.nav_audit"],
            path: context.link(StaffPath.audit),
            staff: context.staff,
            language: context.language
        )
        let model = AuditPage(
            layout: layout,
            rows: rows,
            nextURL: hasMore ? "\(context.link(StaffPath.audit))?page=\(page + 1)" : nil,
            previousURL: page > 1 ? "\(context.link(StaffPath.audit))?page=\(page - 1)" : nil
        )
        return site.views.page(.staffAudit, model)
    }
}
