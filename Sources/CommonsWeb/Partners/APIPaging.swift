import CommonsAccounts
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// Paging and filtering, the same for every collection: `page`, `per_page`, `filter`, and the
/// `next` and `previous` links.
extension APIRoutes {

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
}
