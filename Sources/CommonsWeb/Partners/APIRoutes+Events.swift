import CommonsAccounts
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// Events, their attendances, and the RSVP helper.
extension APIRoutes {

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
            formToken: "api:\(UUID.random().uuidString.lowercased())",
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
