import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The coalition on its own site: `/coalition` (its member organizations, by area served and
/// language spoken), each member's page with what it co-sponsors, and its logo.
struct CoalitionRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.coalition) { request, context in
            try await list(area: request.formQueryValue("area"), language: request.formQueryValue("language"), context)
        }
        router.get(SitePath.member) { _, context in try await member(slug: context.parameters.require("slug"), context) }
        router.get(SitePath.memberLogo) { _, context in try await logo(slug: context.parameters.require("slug")) }
    }

    func list(area rawArea: String?, language rawLanguage: String?, _ context: AppRequestContext) async throws -> Response {
        let strings = site.strings(context.language)
        let areas = try await site.coalition.areas()
        // Only values the page offers filter anything; others are ignored rather than refused.
        let area = areas.first { $0.lowercased() == rawArea?.lowercased() }
        let language = SupporterLanguage.codes.first { $0 == rawLanguage }
        let members = try await site.coalition.members(area: area, language: language)
        var cards: [CoalitionList.Card] = []
        for member in members {
            let words = try await site.translated(.member, id: member.id, title: member.name, descriptionHTML: "", language: context.language)
            cards.append(
                CoalitionList.Card(
                    name: words.title,
                    contentLang: words.contentLang,
                    url: context.link(SitePath.member, member.slug),
                    logoURL: member.logoURL(),
                    areasText: member.areaList.isEmpty ? nil : member.areaList.joined(separator: ", "),
                    languagesText: member.languagesText(strings).map { strings.format("coalition.speaks", ["languages": $0]) }
                )
            )
        }
        let heading = strings["coalition.title"]
        let layout = try await site.layout(
            PageMeta(title: heading, description: strings["coalition.intro"], path: SitePath.coalition()),
            context: context
        )
        let locale = Locale(identifier: context.language.localeIdentifier)
        let model = CoalitionList(
            layout: layout,
            heading: heading,
            filterAction: context.link(SitePath.coalition),
            areaOptions: [ActionForm.Option(value: "", label: strings["coalition.any_area"], selected: area == nil)]
                + areas.map { ActionForm.Option(value: $0, label: $0, selected: $0 == area) },
            languageOptions: [ActionForm.Option(value: "", label: strings["coalition.any_language"], selected: language == nil)]
                + SupporterLanguage.codes.map { ActionForm.Option(value: $0, label: strings["language.\($0)"], selected: $0 == language) },
            members: cards,
            hasMembers: !cards.isEmpty,
            countText: cards.isEmpty
                ? strings["coalition.none"] : strings.format("coalition.count", ["count": cards.count.formatted(.number.locale(locale))])
        )
        return site.views.page(.coalitionList, model).sharedCacheable()
    }

    func member(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let member = try await site.coalition.member(slug: slug) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        let words = try await site.translated(
            .member,
            id: member.id,
            title: member.name,
            descriptionHTML: member.descriptionHTML,
            language: context.language
        )
        let (campaigns, events) = try await site.coalition.cosponsored(by: member.requireID())
        var campaignItems: [MemberShow.Item] = []
        for campaign in campaigns {
            let title = try await site.translated(.campaign, id: campaign.id, title: campaign.title, descriptionHTML: "", language: context.language)
                .title
            campaignItems.append(
                .init(
                    title: title,
                    url: context.link(SitePath.campaign, campaign.slug),
                    detail: campaign.status == .closed ? strings["campaign.closed"] : nil
                )
            )
        }
        let eventItems = events.filter { $0.endsAt > site.clock.now && $0.status == .scheduled }.map { event in
            MemberShow.Item(
                title: event.title,
                url: context.link(SitePath.event, event.slug),
                detail: EventSummary(event, formatting: formatting).whenText
            )
        }
        let layout = try await site.layout(PageMeta(title: words.title, description: words.bodyText, path: SitePath.member(slug)), context: context)
        let model = MemberShow(
            layout: layout,
            name: words.title,
            contentLang: words.contentLang,
            untranslatedNote: words.untranslatedNote,
            descriptionHTML: words.bodyHTML,
            logoURL: member.logoURL(),
            website: member.website.isEmpty ? nil : member.website,
            areasText: member.areaList.isEmpty ? nil : member.areaList.joined(separator: ", "),
            languagesText: member.languagesText(strings),
            contact: member.contact.isEmpty ? nil : member.contact,
            campaigns: campaignItems,
            events: eventItems,
            hasCosponsored: !campaignItems.isEmpty || !eventItems.isEmpty
        )
        return site.views.page(.memberShow, model).sharedCacheable()
    }

    /// The member's logo, served as the site's own is.
    func logo(slug: String) async throws -> Response {
        guard let member = try await site.coalition.member(slug: slug), let logo = member.logo, !member.logoType.isEmpty else {
            throw SiteError.notFound
        }
        return ImageRoutes.logo(logo, contentType: member.logoType).sharedCacheable()
    }
}
