import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The page that asks before a supporter is deleted.
extension StaffSupporterRoutes {
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
}
