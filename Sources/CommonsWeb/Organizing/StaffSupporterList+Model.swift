import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The supporter list: its filter from the query string, and the page.
extension StaffSupporterRoutes {
    /// The filter from the query string; unknown or malformed values are ignored.
    func filter(_ request: Request) -> SupporterFilter {
        var filter = SupporterFilter()
        filter.query = String((request.formQueryValue("q") ?? "").prefix(200))
        filter.campaignID = request.formQueryValue("campaign").flatMap(UUID.init(uuidString:))
        filter.eventID = request.formQueryValue("event").flatMap(UUID.init(uuidString:))
        filter.viaMemberID = request.formQueryValue("via").flatMap(UUID.init(uuidString:))
        filter.tag = request.formQueryValue("tag").flatMap { $0.isEmpty ? nil : $0 }
        filter.language = request.formQueryValue("language").flatMap { SupporterLanguage.codes.contains($0) ? $0 : nil }
        filter.role = request.formQueryValue("role").flatMap { SupporterRole(rawValue: $0)?.rawValue }
        filter.emailOptIn = request.formQueryValue("opted_in") == "yes"
        filter.from = request.formQueryValue("from").flatMap { LocalDateTime.parse($0 + "T00:00", in: site.settings.timeZone) }
        filter.until = request.formQueryValue("to").flatMap {
            LocalDateTime.parse($0 + "T00:00", in: site.settings.timeZone)?.addingTimeInterval(86400)
        }
        return filter
    }

    // MARK: List

    struct ListPage {
        struct Row {
            let name: String
            let url: String
            let email: String
            let phone: String
            let postalCode: String
            let tags: String
        }

        let layout: StaffLayout
        let action: String
        let query: String
        let campaigns: [ActionForm.Option]
        let events: [ActionForm.Option]
        /// The member organizations whose websites carry forms.
        let members: [ActionForm.Option]
        let tags: [ActionForm.Option]
        let languages: [ActionForm.Option]
        let roles: [ActionForm.Option]
        let optedIn: Bool
        let from: String
        let to: String
        let rows: [Row]
        let summary: String
        let exportURL: String
        let nextURL: String?
        let previousURL: String?
    }

    func list(_ request: Request, _ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let filter = filter(request)
        let page = try request.pageQuery()
        let (records, total, pageCount) = try await directory.page(filter, page: page, by: .staff(context.staff.accountID))
        func option(_ value: String, _ label: String, _ chosen: String?) -> ActionForm.Option {
            ActionForm.Option(value: value, label: label, selected: value == (chosen ?? ""))
        }
        let any = strings["staff.filter_any"]
        let campaigns =
            [option("", any, nil)] + (try await site.campaigns.all()).map { option($0.id!.uuidString, $0.title, filter.campaignID?.uuidString) }
        let events = [option("", any, nil)] + (try await site.events.all()).map { option($0.id!.uuidString, $0.title, filter.eventID?.uuidString) }
        let members =
            [option("", any, nil)]
            + (try await site.coalition.all()).map { option($0.id!.uuidString, $0.name, filter.viaMemberID?.uuidString) }
        let tags = [option("", any, nil)] + (try await directory.allTags()).map { option($0, $0, filter.tag) }
        let languages = [option("", any, nil)] + SupporterLanguage.codes.map { option($0, strings["language.\($0)"], filter.language) }
        let roles =
            [option("", any, nil)]
            + SupporterRole.allCases.map {
                option($0.rawValue, strings["form.role_\($0.rawValue.replacingOccurrences(of: " ", with: "_"))"], filter.role)
            }
        let query = request.uri.query ?? ""
        let base = query.split(separator: "&").filter { !$0.hasPrefix("page=") }.joined(separator: "&")
        let rows = records.map { record in
            ListPage.Row(
                name: [record.person.givenName, record.person.familyName].compactMap { $0 }.joined(separator: " "),
                url: context.link(StaffPath.supporter, record.supporter.id!),
                email: record.person.email ?? "",
                phone: record.person.phone ?? "",
                postalCode: record.person.postalCode ?? "",
                tags: record.tags.joined(separator: ", ")
            )
        }
        let layout = try await site.staffLayout(
            title: strings["staff.nav_supporters"],
            path: context.link(StaffPath.supporters),
            staff: context.staff,
            language: context.language
        )
        let model = ListPage(
            layout: layout,
            action: context.link(StaffPath.supporters),
            query: filter.query,
            campaigns: campaigns,
            events: events,
            members: members,
            tags: tags,
            languages: languages,
            roles: roles,
            optedIn: filter.emailOptIn,
            from: request.formQueryValue("from") ?? "",
            to: request.formQueryValue("to") ?? "",
            rows: rows,
            summary: strings.format(
                "staff.supporters_summary",
                ["count": String(total), "page": String(min(page, pageCount)), "pages": String(pageCount)]
            ),
            exportURL: context.link(StaffPath.supportersExport) + (base.isEmpty ? "" : "?\(base)"),
            nextURL: page < pageCount ? "\(context.link(StaffPath.supporters))?\(base.isEmpty ? "" : base + "&")page=\(page + 1)" : nil,
            previousURL: page > 1 ? "\(context.link(StaffPath.supporters))?\(base.isEmpty ? "" : base + "&")page=\(page - 1)" : nil
        )
        return site.views.page(.staffSupporters, model)
    }
}
