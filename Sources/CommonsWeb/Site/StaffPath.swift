import Foundation
import Hummingbird

/// Every address of the staff area.
enum StaffPath {
    static let home = "/admin"
    static let login = "/admin/login"
    static let logout = "/admin/logout"
    static let accounts = "/admin/accounts"
    static func accountRole(_ id: UUID) -> String { "/admin/accounts/\(id.uuidString.lowercased())/role" }
    static func accountDisable(_ id: UUID) -> String { "/admin/accounts/\(id.uuidString.lowercased())/disable" }
    static let audit = "/admin/audit"
    static let posts = "/admin/posts"
    static let newPost = "/admin/posts/new"
    static func post(_ id: UUID) -> String { "/admin/posts/\(id.uuidString.lowercased())" }
    static func postRevisions(_ id: UUID) -> String { "/admin/posts/\(id.uuidString.lowercased())/revisions" }
    static func restoreRevision(_ post: UUID, _ revision: UUID) -> String {
        "/admin/posts/\(post.uuidString.lowercased())/revisions/\(revision.uuidString.lowercased())/restore"
    }
    static func deletePost(_ id: UUID) -> String { "/admin/posts/\(id.uuidString.lowercased())/delete" }
    static let pages = "/admin/pages"
    static let newPage = "/admin/pages/new"
    static func page(_ id: UUID) -> String { "/admin/pages/\(id.uuidString.lowercased())" }
    static let documents = "/admin/documents"
    static let translations = "/admin/translations"
    static let newDocument = "/admin/documents/new"
    static func document(_ id: UUID) -> String { "/admin/documents/\(id.uuidString.lowercased())" }
    static func deleteDocument(_ id: UUID) -> String { "/admin/documents/\(id.uuidString.lowercased())/delete" }
    static let campaigns = "/admin/campaigns"
    static let newCampaign = "/admin/campaigns/new"
    static func campaign(_ id: UUID) -> String { "/admin/campaigns/\(id.uuidString.lowercased())" }
    static let events = "/admin/events"
    static let newEvent = "/admin/events/new"
    static func event(_ id: UUID) -> String { "/admin/events/\(id.uuidString.lowercased())" }
    static let settings = "/admin/settings"
    static func supporterEdit(_ id: UUID) -> String { "/admin/supporters/\(id.uuidString.lowercased())/edit" }
    static let supporters = "/admin/supporters"
    static let supportersExport = "/admin/supporters/export.csv"
    static func supporter(_ id: UUID) -> String { "/admin/supporters/\(id.uuidString.lowercased())" }
    static func supporterTags(_ id: UUID) -> String { "/admin/supporters/\(id.uuidString.lowercased())/tags" }
    static func supporterTagRemove(_ id: UUID) -> String { "/admin/supporters/\(id.uuidString.lowercased())/tags/remove" }
    static func supporterDelete(_ id: UUID) -> String { "/admin/supporters/\(id.uuidString.lowercased())/delete" }
    static func supporterApply(_ id: UUID, action: UUID) -> String {
        "/admin/supporters/\(id.uuidString.lowercased())/actions/\(action.uuidString.lowercased())/apply"
    }

    enum Pattern {
        static let home: RouterPath = "/admin"
        static let login: RouterPath = "/admin/login"
        static let logout: RouterPath = "/admin/logout"
        static let accounts: RouterPath = "/admin/accounts"
        static let accountRole: RouterPath = "/admin/accounts/:id/role"
        static let accountDisable: RouterPath = "/admin/accounts/:id/disable"
        static let audit: RouterPath = "/admin/audit"
        static let posts: RouterPath = "/admin/posts"
        static let newPost: RouterPath = "/admin/posts/new"
        static let post: RouterPath = "/admin/posts/:id"
        static let postRevisions: RouterPath = "/admin/posts/:id/revisions"
        static let restoreRevision: RouterPath = "/admin/posts/:id/revisions/:revision/restore"
        static let deletePost: RouterPath = "/admin/posts/:id/delete"
        static let pages: RouterPath = "/admin/pages"
        static let newPage: RouterPath = "/admin/pages/new"
        static let page: RouterPath = "/admin/pages/:id"
        static let documents: RouterPath = "/admin/documents"
        static let translations: RouterPath = "/admin/translations"
        static let newDocument: RouterPath = "/admin/documents/new"
        static let document: RouterPath = "/admin/documents/:id"
        static let deleteDocument: RouterPath = "/admin/documents/:id/delete"
        static let campaigns: RouterPath = "/admin/campaigns"
        static let newCampaign: RouterPath = "/admin/campaigns/new"
        static let campaign: RouterPath = "/admin/campaigns/:id"
        static let events: RouterPath = "/admin/events"
        static let newEvent: RouterPath = "/admin/events/new"
        static let event: RouterPath = "/admin/events/:id"
        static let settings: RouterPath = "/admin/settings"
        static let supporterEdit: RouterPath = "/admin/supporters/:id/edit"
        static let supporters: RouterPath = "/admin/supporters"
        static let supportersExport: RouterPath = "/admin/supporters/export.csv"
        static let supporter: RouterPath = "/admin/supporters/:id"
        static let supporterTags: RouterPath = "/admin/supporters/:id/tags"
        static let supporterTagRemove: RouterPath = "/admin/supporters/:id/tags/remove"
        static let supporterDelete: RouterPath = "/admin/supporters/:id/delete"
        static let supporterApply: RouterPath = "/admin/supporters/:id/actions/:action/apply"
    }
}
