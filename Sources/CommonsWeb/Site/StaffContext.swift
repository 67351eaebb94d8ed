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
    /// Two-factor sign-in is on for this account.
    let hasTwoFactor: Bool
    /// The role requires two-factor and the account has none yet: only enrolment and sign-out.
    let mustEnrol: Bool
    /// The password or a code was entered in this session within the step-up lifetime.
    let stepUpFresh: Bool

    /// The same person just after enrolling in two-factor sign-in.
    func enrolled() -> StaffIdentity {
        StaffIdentity(
            accountID: accountID,
            email: email,
            name: name,
            role: role,
            csrfToken: csrfToken,
            sessionToken: sessionToken,
            hasTwoFactor: true,
            mustEnrol: false,
            stepUpFresh: stepUpFresh
        )
    }
}

/// Why a staff route refused a request.
enum StaffAccessError: Error {
    /// No session: sign in first (401, or a redirect to the sign-in page for a page view).
    case notSignedIn
    /// Signed in, but the role does not reach this area (403).
    case forbidden
    /// A state-changing request without the session's CSRF token, or from another site (403).
    case badCSRFToken
    /// The role requires two-factor sign-in and this account has not enrolled: pages lead to
    /// the enrolment page, other requests get 403.
    case twoFactorRequired
}

/// The staff areas as types: a handler that needs an organizer takes a
/// `StaffContext<OrganizingArea>` and cannot run without one.
protocol StaffArea: Sendable {
    /// Nil: any signed-in staff member.
    static var area: Role.Area? { get }
    /// Whether a staff member who must enrol in two-factor sign-in may come here first.
    static var openBeforeEnrolment: Bool { get }
}

extension StaffArea {
    static var openBeforeEnrolment: Bool { false }
}

enum AnyStaffArea: StaffArea { static var area: Role.Area? { nil } }
/// Enrolment in two-factor sign-in and signing out: open to every signed-in staff member, even
/// one whose role requires two-factor and who has not enrolled yet.
enum EnrolmentArea: StaffArea {
    static var area: Role.Area? { nil }
    static var openBeforeEnrolment: Bool { true }
}
enum ContentArea: StaffArea { static var area: Role.Area? { .content } }
enum OrganizingArea: StaffArea { static var area: Role.Area? { .organizing } }
enum SupportersArea: StaffArea { static var area: Role.Area? { .supporters } }
enum AdministrationArea: StaffArea { static var area: Role.Area? { .administration } }

/// A request context whose initializer fails with 401 or 403 when the session lacks the role.
struct StaffContext<Area: StaffArea>: ChildRequestContext {
    typealias ParentContext = AppRequestContext

    var coreContext: CoreRequestContextStorage
    var staff: StaffIdentity
    let language: Language
    /// Whether the visitor came over HTTPS (see `AppRequestContext.isHTTPS`).
    let isHTTPS: Bool
    /// The posted form, read once by the session middleware (empty on a GET).
    let form: MultipartForm

    init(context: AppRequestContext) throws {
        guard let staff = context.staff else { throw StaffAccessError.notSignedIn }
        if staff.mustEnrol, !Area.openBeforeEnrolment { throw StaffAccessError.twoFactorRequired }
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
