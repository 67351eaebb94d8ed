import CommonsContent
import Foundation

/// Every address of the staff area, each one `Route` value (see `SitePath`). Links are printed
/// in the language the staff member is using: `context.link(StaffPath.post, id)` is `/es/admin/posts/ID`
/// on the Spanish staff pages.
enum StaffPath {
    static let home = Route("/admin")
    static let login = Route("/admin/login")
    static let logout = Route("/admin/logout")
    /// The second step of a sign-in with two-factor.
    static let loginCode = Route("/admin/login/code")
    static let twoFactor = Route("/admin/account/two-factor")
    static let twoFactorRecoveryCodes = Route("/admin/account/two-factor/recovery-codes")
    static let twoFactorDisable = Route("/admin/account/two-factor/disable")
    static let sessions = Route("/admin/account/sessions")
    static let sessionEnd = Route("/admin/account/sessions/end")
    static let sessionsEndOthers = Route("/admin/account/sessions/end-others")
    static let password = Route("/admin/account/password")
    /// Where the step-up form of a page (a GET, such as the export) is sent.
    static let stepUp = Route("/admin/account/confirm")
    static let accounts = Route("/admin/accounts")
    static let accountRole = Route("/admin/accounts/:id/role")
    static let accountDisable = Route("/admin/accounts/:id/disable")
    static let accountEndSessions = Route("/admin/accounts/:id/sessions/end")
    static let accountResetTwoFactor = Route("/admin/accounts/:id/two-factor/reset")
    static let audit = Route("/admin/audit")
    static let apiTokens = Route("/admin/api-tokens")
    static let apiTokenRevoke = Route("/admin/api-tokens/:id/revoke")
    static let webhooks = Route("/admin/webhooks")
    static let webhook = Route("/admin/webhooks/:id")
    static let webhookEnable = Route("/admin/webhooks/:id/enable")
    static let webhookDelete = Route("/admin/webhooks/:id/delete")
    static let members = Route("/admin/members")
    static let newMember = Route("/admin/members/new")
    static let member = Route("/admin/members/:id")
    static let deleteMember = Route("/admin/members/:id/delete")
    static let posts = Route("/admin/posts")
    static let newPost = Route("/admin/posts/new")
    static let post = Route("/admin/posts/:id")
    static let postRevisions = Route("/admin/posts/:id/revisions")
    static let restoreRevision = Route("/admin/posts/:id/revisions/:revision/restore")
    static let deletePost = Route("/admin/posts/:id/delete")
    static let pages = Route("/admin/pages")
    static let newPage = Route("/admin/pages/new")
    static let page = Route("/admin/pages/:id")
    static let documents = Route("/admin/documents")
    static let translations = Route("/admin/translations")
    static let newDocument = Route("/admin/documents/new")
    static let document = Route("/admin/documents/:id")
    static let deleteDocument = Route("/admin/documents/:id/delete")
    static let datasets = Route("/admin/datasets")
    static let newDataset = Route("/admin/datasets/new")
    static let dataset = Route("/admin/datasets/:id")
    static let deleteDataset = Route("/admin/datasets/:id/delete")
    static let campaigns = Route("/admin/campaigns")
    static let newCampaign = Route("/admin/campaigns/new")
    static let campaign = Route("/admin/campaigns/:id")
    static let events = Route("/admin/events")
    static let newEvent = Route("/admin/events/new")
    static let event = Route("/admin/events/:id")
    static let settings = Route("/admin/settings")
    static let supporterEdit = Route("/admin/supporters/:id/edit")
    static let supporters = Route("/admin/supporters")
    static let supportersExport = Route("/admin/supporters/export.csv")
    static let supporter = Route("/admin/supporters/:id")
    static let supporterTags = Route("/admin/supporters/:id/tags")
    static let supporterTagRemove = Route("/admin/supporters/:id/tags/remove")
    static let supporterDelete = Route("/admin/supporters/:id/delete")
    static let supporterApply = Route("/admin/supporters/:id/actions/:action/apply")
    static let mailings = Route("/admin/mailings")
    static let newMailing = Route("/admin/mailings/new")
    static let mailing = Route("/admin/mailings/:id")
    static let mailingTest = Route("/admin/mailings/:id/test")
    static let mailingSend = Route("/admin/mailings/:id/send")
}

extension StaffPath {
    /// The editor of a translatable original, by the kind of thing it is.
    static func original(_ subject: ContentTranslation.Subject) -> Route {
        switch subject {
        case .post: post
        case .page: page
        case .document: document
        case .dataset: dataset
        case .member: member
        case .campaign: campaign
        case .event: event
        }
    }

    /// The staff list an original lives in.
    static func list(_ subject: ContentTranslation.Subject) -> Route {
        switch subject {
        case .post: posts
        case .page: pages
        case .document: documents
        case .dataset: datasets
        case .member: members
        case .campaign: campaigns
        case .event: events
        }
    }

    /// An original's translation into one language: `/admin/posts/:id/translations/:language`.
    static func translation(_ subject: ContentTranslation.Subject) -> Route { Route(original(subject).pattern + "/translations/:language") }
    static func translationDelete(_ subject: ContentTranslation.Subject) -> Route { Route(translation(subject).pattern + "/delete") }
}
