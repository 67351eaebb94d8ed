import CommonsContent
import CommonsCore
import CommonsOrganizing
import CommonsPrivacy
import Foundation
import Hummingbird

/// A campaign's page, its sign-up or petition form, and the thanks page after it; each also
/// alone in a frame for a partner's page (`EmbedRoutes`).
struct CampaignRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.campaign) { _, context in try await campaignPage(slug: context.parameters.require("slug"), context) }
        router.post(SitePath.campaign) { request, context in try await sign(slug: context.parameters.require("slug"), request, context) }
        router.get(SitePath.campaignThanks) { _, context in try await campaignThanks(slug: context.parameters.require("slug"), context) }
    }

    func campaignPage(
        slug: String,
        _ context: AppRequestContext,
        values: [String: String] = [:],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        frame: EmbedFrame? = nil
    ) async throws -> Response {
        guard let campaign = try await site.campaigns.campaign(slug: slug) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        var form =
            campaign.status == .open
            ? ActionForm(
                action: context.link(frame == nil ? SitePath.campaign : SitePath.embedCampaign, slug),
                token: site.formTokens.issue(at: site.clock.now),
                asked: campaign.asked,
                required: campaign.required,
                includeGuests: false,
                values: values,
                errors: errors,
                submitLabel: strings[campaign.kind == .petition ? "form.sign" : "form.join"],
                strings: strings,
                language: context.language
            )
            : nil
        form?.via = frame?.via ?? (frame == nil ? nil : values["via"])
        let signatures = campaign.kind == .petition ? try await site.campaigns.actionCount(for: campaign) : 0
        let (words, layout) = try await site.formPage(
            .campaign,
            id: campaign.id,
            title: campaign.title,
            descriptionHTML: campaign.descriptionHTML,
            path: SitePath.campaign(slug),
            errors: errors,
            context: context
        )
        let cosponsors = frame == nil ? try await site.coalition.cosponsors(ofCampaign: campaign.requireID()) : []
        // Not shared-cacheable: the form carries a one-time token (the default is private, no-store).
        let response = site.views.page(
            frame == nil ? .campaignShow : .embedCampaign,
            CampaignShow(
                campaign,
                words: words,
                signatures: signatures,
                form: form,
                cosponsors: cosponsors.map { CoalitionMemberLink($0, language: context.language) },
                layout: layout,
                formatting: site.formatting(context.language)
            ),
            status: status
        )
        return frame?.framed(response) ?? response
    }

    func sign(slug: String, _ request: Request, _ context: AppRequestContext, frame: EmbedFrame? = nil) async throws -> Response {
        guard let campaign = try await site.formCampaign(slug: slug) else { throw SiteError.notFound }
        let form = PublicForm(
            takesAnswers: campaign.status == .open,
            asked: campaign.asked,
            required: campaign.required,
            asksGuests: false,
            page: { values, errors, status in
                try await campaignPage(slug: slug, context, values: values, errors: errors, status: status, frame: frame)
            },
            thanksURL: { _ in frame == nil ? SitePath.campaignThanks(slug) : SitePath.embedCampaignThanks(slug) },
            record: { submission in _ = try await site.actionDesk.sign(campaign, submission) },
            takesVia: frame != nil
        )
        return try await site.answer(form, request, context)
    }

    func campaignThanks(slug: String, _ context: AppRequestContext, frame: EmbedFrame? = nil) async throws -> Response {
        guard let campaign = try await site.campaigns.campaign(slug: slug) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        let locale = Locale(identifier: context.language.localeIdentifier)
        let detail: String? =
            campaign.kind == .petition
            ? strings.format("campaign.signatures", ["count": try await site.campaigns.actionCount(for: campaign).formatted(.number.locale(locale))])
            : nil
        let path = frame == nil ? SitePath.campaignThanks(slug) : SitePath.embedCampaignThanks(slug)
        let layout = try await site.layout(PageMeta(title: strings["thanks.title"], path: path), context: context)
        let model = ThanksPage(
            layout: layout,
            heading: strings["thanks.title"],
            message: campaign.thankYou.isEmpty ? strings["thanks.default"] : campaign.thankYou,
            detail: detail,
            onlineURL: nil,
            backURL: context.link(frame == nil ? SitePath.campaign : SitePath.embedCampaign, slug),
            backLabel: strings.format("thanks.back", ["title": campaign.title])
        )
        guard let frame else { return site.views.page(.thanks, model) }
        return frame.framed(site.views.page(.embedThanks, model))
    }
}
