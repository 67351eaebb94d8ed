import Hummingbird

/// The interface's translations awaiting review: for each language, every entry still marked
/// as a draft, beside the English it translates, so a volunteer translator can check them.
/// Reviewed entries are taken off a catalog's `drafts` list in `Resources/Locales/CODE.json`.
struct StaffTranslationRoutes {
    let site: Site

    struct TranslationsPage {
        struct Entry {
            let key: String
            let english: String
            let translation: String
            let lang: String
            let dir: String
        }

        struct LanguageDrafts {
            let name: String
            let summary: String
            let entries: [Entry]
            let hasEntries: Bool
        }

        let layout: StaffLayout
        let heading: String
        let introduction: String
        let languages: [LanguageDrafts]
    }

    func register(on router: RouterGroup<StaffContext<ContentArea>>) {
        router.get(StaffPath.translations) { _, context in try await page(context) }
    }

    func page(_ context: StaffContext<ContentArea>) async throws -> Response {
        let strings = site.strings(context.language)
        let english = site.catalogs[.english]
        let languages = site.languages.filter { $0 != .english }.map { language in
            let catalog = site.catalogs[language]
            let entries = catalog.drafts.sorted().map { key in
                TranslationsPage.Entry(
                    key: key,
                    english: english[key],
                    translation: catalog[key],
                    lang: language.tag,
                    dir: language.direction
                )
            }
            return TranslationsPage.LanguageDrafts(
                name: catalog["language.\(language.code)"],
                summary: strings.format("staff.translation_drafts", ["count": String(entries.count), "total": String(catalog.strings.count)]),
                entries: entries,
                hasEntries: !entries.isEmpty
            )
        }
        let heading = strings["staff.nav_translations"]
        let layout = try await site.staffLayout(
            title: heading,
            path: context.link(StaffPath.translations),
            staff: context.staff,
            language: context.language
        )
        let model = TranslationsPage(layout: layout, heading: heading, introduction: strings["staff.translations_intro"], languages: languages)
        return site.views.page(.staffTranslations, model)
    }
}
