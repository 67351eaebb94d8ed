import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The privacy page: what Commons keeps about supporters, why, for how long, and how to have it deleted.
struct PrivacyRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.privacy) { _, context in try await privacy(context) }
    }

    /// What Commons collects and why, who sees it, how long it stays, how to have it deleted:
    /// written in the catalogs, so it reads in every site language, with this site's own figures.
    func privacy(_ context: AppRequestContext) async throws -> Response {
        let strings = site.strings(context.language)
        let settings = try await site.siteSettings.all()
        let siteName = settings[.siteName] ?? "Commons"
        let contact = settings[.contactEmail].flatMap { $0.isEmpty ? nil : $0 }
        let values = [
            "site": siteName, "rsvp_days": String(site.settings.retention.rsvpDays), "months": String(site.settings.retention.supporterMonths),
            "contact": contact ?? strings["privacy.contact_fallback"],
        ]
        let sections = ["collect", "why", "who", "protect", "keep", "my_data", "delete", "visitors"].map { key in
            PrivacyPage.Section(heading: strings["privacy.\(key)_heading"], text: strings.format("privacy.\(key)_text", values))
        }
        let layout = try await site.layout(
            PageMeta(title: strings["privacy.title"], description: strings.format("privacy.summary", values), path: SitePath.privacy()),
            context: context
        )
        let model = PrivacyPage(
            layout: layout,
            title: strings["privacy.title"],
            summary: strings.format("privacy.summary", values),
            sections: sections,
            contactURL: contact.map { "mailto:\($0)" },
            myDataURL: context.link(SitePath.myData)
        )
        return site.views.page(.privacy, model).sharedCacheable()
    }
}
