import CommonsAccounts
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The OSDI API at `/api/v1`: people, tags, petitions, events and forms, with the helpers that
/// take a sign-up as the public forms do. Handlers parse, call the domain (`PartnerDesk`,
/// `ActionDesk`, `SupporterDirectory`) and render `OSDI` resources; every error is a problem
/// document (`APIProblemMiddleware`).
struct APIRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(APIPath.openAPI) { _, _ in try openAPIDocument() }
        let api = router.group().add(middleware: APITokenMiddleware(site: site))
        let read = api.group(context: APIContext<ReadScope>.self)
        let write = api.group(context: APIContext<WriteScope>.self)

        read.get(APIPath.entry) { _, _ in entryPoint() }
        read.get(APIPath.people) { request, context in try await people(request, context) }
        read.get(APIPath.person) { _, context in
            guard let record = try await partners.person(try id(context), by: context.client.actor) else { throw APIProblem.notFound }
            return APIResponse.json(OSDI.person(record, base: base))
        }
        write.post(APIPath.people) { request, context in try await signUp(request, context) }
        write.on(APIPath.person.routerPath, method: .put) { request, context in try await update(request, context) }
        write.on(APIPath.person.routerPath, method: .delete) { _, context in try await erase(context) }

        read.get(APIPath.tags) { request, context in try await tags(request) }
        read.get(APIPath.tag) { _, context in APIResponse.json(OSDI.tag(try await tag(context), base: base)) }
        read.get(APIPath.taggings) { request, context in try await taggings(request, context) }

        read.get(APIPath.petitions) { request, _ in try await campaigns(.petition, request) }
        read.get(APIPath.petition) { _, context in try await campaignResource(.petition, context) }
        read.get(APIPath.signatures) { request, context in try await campaignActions(.petition, request, context) }
        read.get(APIPath.signature) { _, context in try await actionResource(.petition, context) }
        write.post(APIPath.signatures) { request, context in try await takeCampaignAction(.petition, request, context) }

        read.get(APIPath.forms) { request, _ in try await campaigns(.signup, request) }
        read.get(APIPath.form) { _, context in try await campaignResource(.signup, context) }
        read.get(APIPath.submissions) { request, context in try await campaignActions(.signup, request, context) }
        read.get(APIPath.submission) { _, context in try await actionResource(.signup, context) }
        write.post(APIPath.submissions) { request, context in try await takeCampaignAction(.signup, request, context) }

        read.get(APIPath.events) { request, _ in try await events(request) }
        read.get(APIPath.event) { _, context in
            let event = try await event(context)
            return APIResponse.json(OSDI.event(event, accepted: try await site.events.seatsTaken(event), base: base))
        }
        read.get(APIPath.attendances) { request, context in try await attendances(request, context) }
        read.get(APIPath.attendance) { _, context in try await actionResource(.rsvp, context) }
        write.post(APIPath.attendances) { request, context in try await attend(request, context) }
    }

    var base: String { site.settings.baseURL }
    var partners: PartnerDesk { PartnerDesk(database: site.database, keys: site.keys, clock: site.clock) }

    // MARK: - The entry point and the document

    struct EntryPoint: Encodable {
        let motd: String
        let vendor_name = "Commons"
        let product_name = "Commons"
        let osdi_version = "1.1"
        let max_pagesize = PartnerDesk.maximumPerPage
        let _links: [String: OSDI.Link]
    }

    func entryPoint() -> Response {
        APIResponse.json(
            EntryPoint(
                motd: "The OSDI API of \(base)",
                _links: [
                    "self": .init(href: base + APIPath.entry()),
                    "osdi:people": .init(href: base + APIPath.people()),
                    "osdi:person_signup_helper": .init(href: base + APIPath.people()),
                    "osdi:tags": .init(href: base + APIPath.tags()),
                    "osdi:petitions": .init(href: base + APIPath.petitions()),
                    "osdi:events": .init(href: base + APIPath.events()),
                    "osdi:forms": .init(href: base + APIPath.forms()),
                    "docs": .init(href: base + APIPath.openAPI()),
                ]
            )
        )
    }

    func openAPIDocument() throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: site.openAPIDocument))
        )
    }

    // MARK: - Paging

    struct Paging {
        var page = 1
        var perPage = 25
        var filter = OSDIFilter()
        var filterText: String?

        var partnerFilter: PartnerFilter {
            PartnerFilter(modifiedAfter: filter.modifiedAfter, modifiedBefore: filter.modifiedBefore, email: filter.emailAddress)
        }
    }

    /// `page`, `per_page` (default 25, at most 100) and `filter`; a bad value is a 400 saying which.
    func paging(_ request: Request, filters: Bool = true, email: Bool = false) throws -> Paging {
        let query = request.uri.query.map(FormFields.parse) ?? [:]
        var paging = Paging()
        if let raw = query["page"] {
            guard let page = Pagination.page(raw) else {
                throw APIProblem.badRequest("page must be a whole number from 1 to \(Pagination.maximumPage).")
            }
            paging.page = page
        }
        if let raw = query["per_page"] {
            guard raw.utf8.count <= 6, let perPage = Int(raw), perPage >= 1 else {
                throw APIProblem.badRequest("per_page must be a whole number from 1 to \(PartnerDesk.maximumPerPage).")
            }
            paging.perPage = min(perPage, PartnerDesk.maximumPerPage)
        }
        if let raw = query["filter"], !raw.isEmpty {
            guard filters else { throw APIProblem.badRequest("This collection takes no filter.") }
            do {
                paging.filter = try OSDIFilter.parse(raw)
            } catch {
                throw APIProblem.badRequest(Self.explain(error))
            }
            if paging.filter.emailAddress != nil, !email {
                throw APIProblem.badRequest("Only people can be filtered by email_address.")
            }
            paging.filterText = raw
        }
        return paging
    }

    static func explain(_ problem: OSDIFilter.Problem) -> String {
        switch problem {
        case .tooLong: "filter is longer than \(OSDIFilter.maximumLength) bytes."
        case .malformed: "filter must be clauses like modified_date gt '2026-01-01T00:00:00Z', joined by and."
        case .unsupported(let clause): "filter cannot use \(clause); Commons filters on modified_date gt|lt and email_address eq."
        case .badDate: "filter has a date that is not ISO 8601 in the years 1970 to 9999."
        }
    }

    /// One page of a collection with its `next` and `previous` links.
    func collection<Item: Encodable>(_ name: String, path: String, paging: Paging, total: Int, items: [Item]) -> Response {
        let pages = max(1, (total + paging.perPage - 1) / paging.perPage)
        func link(_ page: Int) -> OSDI.Link {
            var query = "page=\(page)&per_page=\(paging.perPage)"
            if let filter = paging.filterText {
                query += "&filter=" + (filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            }
            return OSDI.Link(href: base + path + "?" + query)
        }
        var links = ["self": link(paging.page)]
        if paging.page < pages { links["next"] = link(paging.page + 1) }
        if paging.page > 1 { links["previous"] = link(min(paging.page - 1, pages)) }
        return APIResponse.json(
            OSDI.Collection(
                total_pages: pages,
                per_page: paging.perPage,
                page: paging.page,
                total_records: total,
                _links: links,
                _embedded: [name: items]
            )
        )
    }

    func id(_ context: some RequestContext, _ name: String = "id") throws -> UUID {
        guard let id = try? context.parameters.uuid(name) else { throw APIProblem.notFound }
        return id
    }

    // MARK: - People

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
            formToken: "api:\(UUID().uuidString.lowercased())",
            language: checked.person.preferredLanguage ?? "en"
        )
        let receipt = try await site.actionDesk.signUp(submission, tags: checked.tags)
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
        guard context.client.madeByAdmin else {
            throw APIProblem.forbidden("Only a token made by an admin may erase people.")
        }
        let directory = SupporterDirectory(database: site.database, keys: site.keys, clock: site.clock)
        do {
            try await directory.delete(try id(context), by: context.client.actor)
        } catch SupporterError.notFound {
            throw APIProblem.notFound
        }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    // MARK: - Tags

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

    // MARK: - Petitions and forms

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
            formToken: "api:\(UUID().uuidString.lowercased())",
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

    // MARK: - Events

    func events(_ request: Request) async throws -> Response {
        let paging = try paging(request)
        var all = try await site.events.all()
        if let after = paging.filter.modifiedAfter { all = all.filter { ($0.updatedAt ?? .distantPast) > after } }
        if let before = paging.filter.modifiedBefore { all = all.filter { ($0.updatedAt ?? .distantPast) < before } }
        all.sort { ($0.startsAt, $0.id!.uuidString) < ($1.startsAt, $1.id!.uuidString) }
        let start = Pagination.offset(page: paging.page, perPage: paging.perPage) ?? all.count
        var items: [OSDI.Event] = []
        for event in all.dropFirst(start).prefix(paging.perPage) {
            items.append(OSDI.event(event, accepted: try await site.events.seatsTaken(event), base: base))
        }
        return collection("osdi:events", path: APIPath.events(), paging: paging, total: all.count, items: items)
    }

    func event(_ context: some RequestContext) async throws -> Event {
        guard let event = try await site.events.event(id: try id(context)) else { throw APIProblem.notFound }
        return event
    }

    func attendances(_ request: Request, _ context: APIContext<ReadScope>) async throws -> Response {
        let event = try await event(context)
        let paging = try paging(request)
        let page = try await partners.actions(
            .rsvp,
            eventID: event.id,
            filter: paging.partnerFilter,
            page: paging.page,
            perPage: paging.perPage,
            by: context.client.actor
        )
        return collection(
            "osdi:attendances",
            path: APIPath.attendances(try event.requireID()),
            paging: paging,
            total: page.total,
            items: page.items.map { OSDI.action($0, base: base) }
        )
    }

    /// An RSVP, as the event's public form takes one (guests in `guests`, 0 to 10).
    func attend(_ request: Request, _ context: APIContext<WriteScope>) async throws -> Response {
        struct Body: Decodable {
            var person: APIInput.PersonBody
            var add_tags: [String]?
            var guests: Int?
        }
        let event = try await event(context)
        let body = try await APIInput.decode(Body.self, from: request)
        let checked = try APIInput.submission(APIInput.HelperBody(person: body.person, add_tags: body.add_tags))
        let submission = ActionSubmission(
            person: checked.person,
            emailOptIn: checked.emailOptIn,
            smsOptIn: checked.smsOptIn,
            formToken: "api:\(UUID().uuidString.lowercased())",
            guests: body.guests ?? 0,
            language: checked.person.preferredLanguage ?? "en"
        )
        let receipt: ActionReceipt
        do {
            receipt = try await site.actionDesk.rsvp(event, submission, addingTags: checked.tags)
        } catch ActionError.eventCancelled {
            throw APIProblem.conflict("This event was cancelled.")
        } catch ActionError.eventPast {
            throw APIProblem.conflict("This event is over.")
        }
        return try await created(receipt, context)
    }
}
