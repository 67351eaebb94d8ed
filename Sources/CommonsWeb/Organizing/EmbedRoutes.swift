import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// A form served alone for a partner's page to frame: the campaign's or event's own form flow
/// (one-time token, 422 with the errors, thanks), in a minimal layout, framed only by the
/// origins an admin listed. No cookie is set: the token travels in the form.
struct EmbedFrame {
    /// The member organization whose page frames it (its slug, from `?via=`), sent back with the form.
    let via: String?
    /// The origins that may frame it (site settings); none: no page may.
    let ancestors: [String]

    func framed(_ response: Response) -> Response {
        var response = response
        response.headers[.contentSecurityPolicy] = SecurityHeadersMiddleware.policy(frameAncestors: ancestors)
        return response
    }
}

/// `/embed/campaigns/SLUG` and `/embed/events/SLUG` (and their language prefixes), with their
/// thanks pages: what partners' websites frame (the staff area shows the snippet to copy).
struct EmbedRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        let campaigns = CampaignRoutes(site: site)
        let events = EventRoutes(site: site)
        router.get(SitePath.embedCampaign) { request, context in
            try await campaigns.campaignPage(slug: context.parameters.require("slug"), context, frame: try await frame(request))
        }
        router.post(SitePath.embedCampaign) { request, context in
            try await campaigns.sign(slug: context.parameters.require("slug"), request, context, frame: try await frame(nil))
        }
        router.get(SitePath.embedCampaignThanks) { _, context in
            try await campaigns.campaignThanks(slug: context.parameters.require("slug"), context, frame: try await frame(nil))
        }
        router.get(SitePath.embedEvent) { request, context in
            try await events.eventPage(slug: context.parameters.require("slug"), context, frame: try await frame(request))
        }
        router.post(SitePath.embedEvent) { request, context in
            try await events.rsvp(slug: context.parameters.require("slug"), request, context, frame: try await frame(nil))
        }
        router.get(SitePath.embedEventThanks) { request, context in
            try await events.eventThanks(
                slug: context.parameters.require("slug"),
                formID: request.formQueryValue("r"),
                context,
                frame: try await frame(nil)
            )
        }
    }

    /// The frame for a request: the partner its link names, when that is a member organization.
    func frame(_ request: Request?) async throws -> EmbedFrame {
        var via: String?
        if let slug = request?.formQueryValue("via"), Slug.isValid(slug), try await site.coalition.member(slug: slug) != nil { via = slug }
        return EmbedFrame(via: via, ancestors: try await site.siteSettings.embedOrigins())
    }
}
