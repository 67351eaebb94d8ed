import CommonsAccounts
import CommonsCore
import CommonsOrganizing
import CommonsPartners
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
}
