import CommonsAccounts
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// Petitions and forms (both campaigns), their signatures and submissions, and their helpers.
extension APIRoutes {

    func campaigns(_ kind: Campaign.Kind, _ request: Request) async throws -> Response {
        let paging = try paging(request)
        var all = try await site.campaigns.all().filter { $0.kind == kind }
        if let after = paging.filter.modifiedAfter { all = all.filter { ($0.updatedAt ?? .distantPast) > after } }
        if let before = paging.filter.modifiedBefore { all = all.filter { ($0.updatedAt ?? .distantPast) < before } }
        all.sort { ($0.createdAt ?? .distantPast, $0.id!.uuidString) < ($1.createdAt ?? .distantPast, $1.id!.uuidString) }
        let start = Pagination.offset(page: paging.page, perPage: paging.perPage) ?? all.count
        var items: [OSDI.Campaign] = []
        for campaign in all.dropFirst(start).prefix(paging.perPage) {
            items.append(OSDI.campaign(campaign, actions: try await site.campaigns.actionCount(for: campaign), base: base))
        }
        let name = kind == .petition ? "osdi:petitions" : "osdi:forms"
        return collection(name, path: kind == .petition ? APIPath.petitions() : APIPath.forms(), paging: paging, total: all.count, items: items)
    }

    func campaign(_ kind: Campaign.Kind, _ context: some RequestContext) async throws -> Campaign {
        guard let campaign = try await site.campaigns.campaign(id: try id(context)), campaign.kind == kind else { throw APIProblem.notFound }
        return campaign
    }

    func campaignResource(_ kind: Campaign.Kind, _ context: APIContext<ReadScope>) async throws -> Response {
        let campaign = try await campaign(kind, context)
        return APIResponse.json(OSDI.campaign(campaign, actions: try await site.campaigns.actionCount(for: campaign), base: base))
    }

    func campaignActions(_ kind: Campaign.Kind, _ request: Request, _ context: APIContext<ReadScope>) async throws -> Response {
        let campaign = try await campaign(kind, context)
        let paging = try paging(request)
        let actionKind: Action.Kind = kind == .petition ? .petition : .signup
        let page = try await partners.actions(
            actionKind,
            campaignID: campaign.id,
            filter: paging.partnerFilter,
            page: paging.page,
            perPage: paging.perPage,
            by: context.client.actor
        )
        let id = try campaign.requireID()
        return collection(
            kind == .petition ? "osdi:signatures" : "osdi:submissions",
            path: kind == .petition ? APIPath.signatures(id) : APIPath.submissions(id),
            paging: paging,
            total: page.total,
            items: page.items.map { OSDI.action($0, base: base) }
        )
    }

    /// A signature or a submission: the same domain operation as the campaign's public form,
    /// with its required fields, dedupe and consent from the request.
    func takeCampaignAction(_ kind: Campaign.Kind, _ request: Request, _ context: APIContext<WriteScope>) async throws -> Response {
        let campaign = try await campaign(kind, context)
        let body = try await APIInput.decode(APIInput.HelperBody.self, from: request)
        let checked = try APIInput.submission(body, required: campaign.required)
        let submission = ActionSubmission(
            person: checked.person,
            emailOptIn: checked.emailOptIn,
            smsOptIn: checked.smsOptIn,
            formToken: "api:\(UUID.random().uuidString.lowercased())",
            language: checked.person.preferredLanguage ?? "en"
        )
        let receipt: ActionReceipt
        do {
            receipt = try await site.actionDesk.sign(campaign, submission, addingTags: checked.tags)
        } catch ActionError.campaignClosed {
            throw APIProblem.conflict("This \(kind == .petition ? "petition" : "form") is closed.")
        }
        return try await created(receipt, context)
    }

    /// The action just taken, answered 201 with its address.
    func created(_ receipt: ActionReceipt, _ context: APIContext<WriteScope>) async throws -> Response {
        guard let action = try await partners.action(receipt.actionID, by: context.client.actor) else { throw APIProblem.notFound }
        let resource = OSDI.action(action, base: base)
        var response = APIResponse.json(resource, status: .created)
        response.headers[.location] = resource._links["self"]?.href
        return response
    }

    func actionResource(_ kind: Action.Kind, _ context: APIContext<ReadScope>) async throws -> Response {
        let parent = try id(context)
        guard let action = try await partners.action(try id(context, "action"), by: context.client.actor), action.kind == kind,
            (kind == .rsvp ? action.$event.id : action.$campaign.id) == parent
        else { throw APIProblem.notFound }
        return APIResponse.json(OSDI.action(action, base: base))
    }
}
