import CommonsContent
import CommonsOrganizing
import Foundation

/// What a member's staff page shows below its form: sign-ups through its website, and the
/// snippets that put the coalition's forms there.
extension StaffMemberRoutes {
    /// Sign-ups through the member's website (counts only), and the snippets to put forms there.
    func panels(for member: Member, _ context: Context) async throws -> [StaffFormPage.Panel] {
        let strings = site.strings(context.language)
        let locale = Locale(identifier: context.language.localeIdentifier)
        let counts = try await site.coalition.partnerCounts(of: member.requireID())
        let origins = try await site.siteSettings.embedOrigins()
        var snippets: [StaffFormPage.Panel.Snippet] = []
        for campaign in try await site.campaigns.all() where campaign.status == .open {
            snippets.append(
                .init(
                    id: "snippet-campaign-\(campaign.slug)",
                    label: campaign.title,
                    code: Self.snippet(site.settings.baseURL + SitePath.embedCampaign(campaign.slug), via: member.slug, title: campaign.title)
                )
            )
        }
        for event in try await site.events.upcoming() where event.status == .scheduled {
            snippets.append(
                .init(
                    id: "snippet-event-\(event.slug)",
                    label: event.title,
                    code: Self.snippet(site.settings.baseURL + SitePath.embedEvent(event.slug), via: member.slug, title: event.title)
                )
            )
        }
        return [
            StaffFormPage.Panel(
                id: "partner-counts",
                heading: strings["staff.member_counts"],
                intro: counts.isEmpty ? strings["staff.member_no_counts"] : nil,
                columns: [strings["staff.member_counts_for"], strings["staff.member_counts_signups"]],
                rows: counts.map { .init(label: $0.title, value: $0.count.formatted(.number.locale(locale))) }
            ),
            StaffFormPage.Panel(
                id: "embed-snippets",
                heading: strings["staff.member_snippets"],
                intro: origins.isEmpty ? strings["staff.member_snippets_no_origins"] : strings["staff.member_snippets_intro"],
                snippets: snippets
            ),
        ]
    }

    /// The `<iframe>` a partner pastes into its page: nothing else, no script.
    static func snippet(_ url: String, via: String, title: String) -> String {
        "<iframe src=\"\(HTMLText.escape(url))?via=\(via)\" title=\"\(HTMLText.escape(title))\" width=\"100%\" height=\"760\" style=\"border:0\"></iframe>"
    }
}
