import CommonsAccounts
import CommonsAudit
import CommonsCore
import CommonsPartners
import Foundation
import HTTPTypes
import Hummingbird

/// The partner tool a request came from, as the token middleware found it.
struct APIClient: Sendable {
    let tokenID: UUID
    let name: String
    let scope: APIToken.Scope
    /// The admin who made the token; nil when it was made on the server's command line.
    let createdBy: UUID?
    /// What the audit log names the token by.
    let actor: AuditActor
}

/// The API's scopes as types, as `StaffArea` does for roles: a handler that writes takes an
/// `APIContext<WriteScope>` and cannot run for a read-only token.
protocol APIScope: Sendable {
    static var required: APIToken.Scope { get }
}

enum ReadScope: APIScope { static var required: APIToken.Scope { .read } }
enum WriteScope: APIScope { static var required: APIToken.Scope { .write } }

/// A request context whose initializer fails with 401 without a valid token and 403 when the
/// token's scope is too narrow.
struct APIContext<Scope: APIScope>: ChildRequestContext {
    typealias ParentContext = AppRequestContext

    var coreContext: CoreRequestContextStorage
    let client: APIClient

    init(context: AppRequestContext) throws {
        guard let client = context.apiClient else { throw APIProblem.unauthorized }
        if Scope.required == .write, client.scope != .write {
            throw APIProblem.forbidden("This token may only read; creating and changing needs a token with the write scope.")
        }
        self.coreContext = context.coreContext
        self.client = client
    }

    var maxUploadSize: Int { 64 * 1024 }
}

/// Finds the token a request carries and holds each token to its rate limit. A wrong token is
/// also counted per client address, so guessing costs the guesser, not the database.
struct APITokenMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let header = HTTPField.Name("OSDI-API-Token")!

    let site: Site

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let secret = request.headers[Self.header] else { throw APIProblem.unauthorized }
        let client = context.clientAddress ?? "-"
        if let wait = await site.apiFailureLimiter.wait(client) {
            throw APIProblem(status: .tooManyRequests, detail: "Too many requests with unknown tokens.", retryAfter: wait)
        }
        guard let token = try await APITokens(database: site.database, clock: site.clock).authenticate(secret) else {
            await site.apiFailureLimiter.record(client)
            throw APIProblem.unauthorized
        }
        let id = try token.requireID()
        if let wait = await site.apiLimiter.check(id.uuidString) {
            throw APIProblem(status: .tooManyRequests, detail: "This token sent too many requests; try again later.", retryAfter: wait)
        }
        var context = context
        context.apiClient = APIClient(tokenID: id, name: token.name, scope: token.scope, createdBy: token.createdBy, actor: token.auditActor)
        return try await next(request, context)
    }
}
