import CommonsAccounts
import CommonsCore
import Foundation
import Hummingbird

/// Who is signed in to the staff area, as the session middleware found them.
public struct StaffIdentity: Sendable {
    public let accountID: UUID
    public let email: String
    public let name: String
    public let role: Role
    public let csrfToken: String
    /// The session cookie's token, for signing out.
    let sessionToken: String
}

/// Why a staff route refused a request.
enum StaffAccessError: Error {
    /// No session: sign in first (401, or a redirect to the sign-in page for a page view).
    case notSignedIn
    /// Signed in, but the role does not reach this area (403).
    case forbidden
    /// A state-changing request without the session's CSRF token, or from another site (403).
    case badCSRFToken
}

/// The staff areas as types: a handler that needs an organizer takes a
/// `StaffContext<OrganizingArea>` and cannot run without one.
protocol StaffArea: Sendable {
    /// Nil: any signed-in staff member.
    static var area: Role.Area? { get }
}

enum AnyStaffArea: StaffArea { static var area: Role.Area? { nil } }
enum ContentArea: StaffArea { static var area: Role.Area? { .content } }
enum OrganizingArea: StaffArea { static var area: Role.Area? { .organizing } }
enum SupportersArea: StaffArea { static var area: Role.Area? { .supporters } }
enum AdministrationArea: StaffArea { static var area: Role.Area? { .administration } }

/// A request context whose initializer fails with 401 or 403 when the session lacks the role.
struct StaffContext<Area: StaffArea>: ChildRequestContext {
    typealias ParentContext = AppRequestContext

    var coreContext: CoreRequestContextStorage
    let staff: StaffIdentity
    let language: Language
    /// Whether the visitor came over HTTPS (see `AppRequestContext.isHTTPS`).
    let isHTTPS: Bool
    /// The posted form, read once by the session middleware (empty on a GET).
    let form: MultipartForm

    init(context: AppRequestContext) throws {
        guard let staff = context.staff else { throw StaffAccessError.notSignedIn }
        if let area = Area.area, !staff.role.may(area) { throw StaffAccessError.forbidden }
        self.coreContext = context.coreContext
        self.staff = staff
        self.language = context.language
        self.isHTTPS = context.isHTTPS
        self.form = context.staffForm ?? MultipartForm()
    }

    /// Staff forms are small; document uploads get their own limit.
    var maxUploadSize: Int { 64 * 1024 }
}
