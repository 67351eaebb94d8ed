import CommonsAccounts
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// People and tags: the collections, the signup helper, updates and erasure.
extension APIRoutes {

    func people(_ request: Request, _ context: APIContext<ReadScope>) async throws -> Response {
        let paging = try paging(request, email: true)
        let page = try await partners.people(paging.partnerFilter, page: paging.page, perPage: paging.perPage, by: context.client.actor)
        return collection(
            "osdi:people",
            path: APIPath.people(),
            paging: paging,
            total: page.total,
            items: page.items.map { OSDI.person($0, base: base) }
        )
    }

    /// The person signup helper: creates or merges by email or phone exactly as a public form.
    func signUp(_ request: Request, _ context: APIContext<WriteScope>) async throws -> Response {
        let body = try await APIInput.decode(APIInput.HelperBody.self, from: request)
        let checked = try APIInput.submission(body)
        let submission = ActionSubmission(
            person: checked.person,
            emailOptIn: checked.emailOptIn,
            smsOptIn: checked.smsOptIn,
            formToken: "api:\(UUID.random().uuidString.lowercased())",
            language: checked.person.preferredLanguage ?? "en"
        )
        let receipt: ActionReceipt
        do {
            receipt = try await site.actionDesk.signUp(submission, tags: checked.tags)
        } catch ActionError.erased {
            throw APIProblem.conflict(
                "This person erased their data themselves: an import does not bring them back, their own new sign-up on the site does."
            )
        }
        guard let record = try await partners.person(receipt.supporterID, by: context.client.actor) else { throw APIProblem.notFound }
        var response = APIResponse.json(OSDI.person(record, base: base), status: receipt.isNewSupporter ? .created : .ok)
        if receipt.isNewSupporter { response.headers[.location] = base + APIPath.person(receipt.supporterID) }
        return response
    }

    func update(_ request: Request, _ context: APIContext<WriteScope>) async throws -> Response {
        let id = try id(context)
        let body = try await APIInput.decode(APIInput.PersonBody.self, from: request)
        let change = try APIInput.update(body)
        do {
            let record = try await partners.update(
                id,
                with: change.person,
                stopEmail: change.stopEmail,
                stopSMS: change.stopSMS,
                by: context.client.actor
            )
            return APIResponse.json(OSDI.person(record, base: base))
        } catch let errors as ValidationErrors where errors["email"] == "error.email_taken" {
            throw APIProblem.conflict("Another person already has this email address.")
        }
    }

    /// Erases a person as the staff area does: only a write token made by an admin may.
    func erase(_ context: APIContext<WriteScope>) async throws -> Response {
        // Made on the server's command line, or by someone who is an admin now.
        if let creator = context.client.createdBy {
            let account = try await StaffDirectory(database: site.database, clock: site.clock).account(creator)
            guard let account, account.isActive, account.role == .admin else {
                throw APIProblem.forbidden("Only a token made by an admin may erase people.")
            }
        }
        let directory = SupporterDirectory(database: site.database, keys: site.keys, clock: site.clock)
        do {
            try await directory.delete(try id(context), by: context.client.actor)
        } catch SupporterError.notFound {
            throw APIProblem.notFound
        }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    func tags(_ request: Request) async throws -> Response {
        let paging = try paging(request, filters: false)
        let all = try await partners.tags()
        let start = Pagination.offset(page: paging.page, perPage: paging.perPage) ?? all.count
        let shown = all.dropFirst(start).prefix(paging.perPage).map { OSDI.tag($0, base: base) }
        return collection("osdi:tags", path: APIPath.tags(), paging: paging, total: all.count, items: Array(shown))
    }

    func tag(_ context: some RequestContext) async throws -> TagUse {
        let wanted = context.parameters.get("id") ?? ""
        guard let use = try await partners.tags().first(where: { OSDI.tagID($0.name) == wanted }) else { throw APIProblem.notFound }
        return use
    }

    func taggings(_ request: Request, _ context: APIContext<ReadScope>) async throws -> Response {
        let tag = try await tag(context)
        let paging = try paging(request, filters: false)
        let page = try await partners.taggings(tag.name, page: paging.page, perPage: paging.perPage, by: context.client.actor)
        let tagID = OSDI.tagID(tag.name)
        return collection(
            "osdi:taggings",
            path: APIPath.taggings(tagID),
            paging: paging,
            total: page.total,
            items: page.items.map { OSDI.tagging($0, tagID: tagID, base: base) }
        )
    }
}
