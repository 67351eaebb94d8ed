import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// A post's earlier versions, and restoring one.
extension StaffPostRoutes {
    struct RevisionsPage {
        struct Row {
            let title: String
            let savedAt: String
            let restoreURL: String
        }

        let layout: StaffLayout
        let heading: String
        let rows: [Row]
        let backURL: String
    }

    func revisions(_ post: Post, _ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let id = try post.requireID()
        let formatter = ISO8601DateFormatter()
        let rows = try await site.newsroom.revisions(of: id).map { revision in
            RevisionsPage.Row(
                title: revision.title,
                savedAt: revision.savedAt.map(formatter.string) ?? "",
                restoreURL: context.link(StaffPath.restoreRevision, id, revision.id!)
            )
        }
        let heading = strings.format("staff.revisions_of", ["title": post.title])
        let layout = try await site.staffLayout(title: heading, path: context.link(StaffPath.posts), staff: context.staff, language: context.language)
        return site.views.page(
            .staffRevisions,
            RevisionsPage(layout: layout, heading: heading, rows: rows, backURL: context.link(StaffPath.post, id))
        )
    }
}
