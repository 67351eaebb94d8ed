import CommonsAccounts
import CommonsContent
import CommonsCore

/// The frame of every staff page: the staff navigation for the person's role, and the
/// sign-out form with their CSRF token.
struct StaffLayout {
    struct NavigationItem {
        let label: String
        let url: String
        let isCurrent: Bool
    }

    let lang: String
    let dir: String
    let headTitle: String
    let stylesheet: String
    let icon: String
    let logoURL: String?
    let siteName: String
    let staffName: String
    let navigation: [NavigationItem]
    let csrfToken: String?
    let logoutURL: String
    /// Said at the top of the page (on mail screens: that mail is only queued).
    let notice: String?
    let t: [String: any Sendable]
}

extension Site {
    func staffLayout(title: String, path: String, staff: StaffIdentity?, language: Language) async throws -> StaffLayout {
        let strings = catalogs[language]
        let stored = try await siteSettings.all()
        let siteName = stored[.siteName] ?? "Commons"
        let look = SiteSettings.look(stored)
        var navigation: [StaffLayout.NavigationItem] = []
        if let staff {
            func item(_ key: String, _ url: String, _ area: Role.Area?) {
                if let area, !staff.role.may(area) { return }
                let current = url == StaffPath.home(in: language) ? path == url : path.hasPrefix(url)
                navigation.append(.init(label: strings[key], url: url, isCurrent: current))
            }
            if staff.mustEnrol {
                // Until they enrol in two-factor sign-in, the enrolment page is all they may open.
                item("staff.nav_account", StaffPath.twoFactor(in: language), nil)
            } else {
                item("staff.nav_home", StaffPath.home(in: language), nil)
                item("staff.nav_posts", StaffPath.posts(in: language), .content)
                item("staff.nav_pages", StaffPath.pages(in: language), .content)
                item("staff.nav_documents", StaffPath.documents(in: language), .content)
                item("staff.nav_datasets", StaffPath.datasets(in: language), .content)
                item("staff.nav_members", StaffPath.members(in: language), .content)
                item("staff.nav_translations", StaffPath.translations(in: language), .content)
                item("staff.nav_campaigns", StaffPath.campaigns(in: language), .organizing)
                item("staff.nav_events", StaffPath.events(in: language), .organizing)
                item("staff.nav_supporters", StaffPath.supporters(in: language), .supporters)
                item("staff.nav_mailings", StaffPath.mailings(in: language), .supporters)
                item("staff.nav_accounts", StaffPath.accounts(in: language), .administration)
                item("staff.nav_settings", StaffPath.settings(in: language), .administration)
                item("staff.nav_audit", StaffPath.audit(in: language), .administration)
                item("staff.nav_api_tokens", StaffPath.apiTokens(in: language), .administration)
                item("staff.nav_webhooks", StaffPath.webhooks(in: language), .administration)
                item("staff.nav_account", StaffPath.twoFactor(in: language), nil)
            }
        }
        return StaffLayout(
            lang: language.tag,
            dir: language.direction,
            headTitle: "\(title) – \(strings["staff.title"]) – \(siteName)",
            stylesheet: stylesheets.path(primary: look.primary, accent: look.accent),
            icon: assets.path("icon.svg"),
            logoURL: look.logo.map { SitePath.siteFile($0) },
            siteName: siteName,
            staffName: staff.map { $0.name.isEmpty ? $0.email : $0.name } ?? "",
            navigation: navigation,
            csrfToken: staff?.csrfToken,
            logoutURL: StaffPath.logout(in: language),
            notice: settings.mail.server == nil && path.hasPrefix(StaffPath.mailings(in: language)) ? strings["staff.mail_not_configured"] : nil,
            t: strings.tree
        )
    }
}
