import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// Writing an item in another language: `/admin/posts/ID/translations/es` and the same under
/// pages, documents, campaigns and events, each in its own area so only the people who may
/// edit the original may translate it. A translation has a title, a summary (posts and pages)
/// and the text (or the description), in Markdown.
struct StaffTranslationEditor<Area: StaffArea>: Sendable {
    /// What the editor shows of the original.
    struct Original: Sendable {
        let title: String
        let summary: String?
        /// The original's text as readers see it, shown beside the form.
        let bodyHTML: String
        /// The catalog key naming the summary field (a dataset's is its column names).
        var summaryLabel = "staff.summary"
    }

    let site: Site
    let subject: ContentTranslation.Subject
    /// The original by id; nil when there is none.
    let original: @Sendable (UUID) async throws -> Original?

    typealias Context = StaffContext<Area>

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.translation(subject)) { _, context in
            let (id, language, original) = try await target(context)
            let existing = try await Translations(database: site.database).translation(of: subject, id: id, language: language.code)
            let values = existing.map { ["title": $0.title, "summary": $0.summary, "body": $0.body] } ?? [:]
            return try await editor(id: id, language: language, original: original, exists: existing != nil, values: values, context)
        }
        group.post(StaffPath.translation(subject)) { request, context in
            let (id, language, original) = try await target(context)
            let fields = context.form.fields
            let draft = TranslationDraft(title: fields["title"] ?? "", summary: fields["summary"] ?? "", body: fields["body"] ?? "")
            let translations = Translations(database: site.database)
            return try await saveOrShowAgain {
                try await translations.save(draft, of: subject, id: id, language: language.code)
                return context.link(StaffPath.original(subject), id)
            } showAgain: { errors in
                let exists = try await translations.translation(of: subject, id: id, language: language.code) != nil
                return try await editor(
                    id: id,
                    language: language,
                    original: original,
                    exists: exists,
                    values: fields,
                    errors: errors,
                    status: .unprocessableContent,
                    context
                )
            }
        }
        group.post(StaffPath.translationDelete(subject)) { _, context in
            let (id, language, _) = try await target(context)
            try await Translations(database: site.database).delete(of: subject, id: id, language: language.code)
            return Response.redirect(to: context.link(StaffPath.original(subject), id), type: .normal)
        }
    }

    private func target(_ context: Context) async throws -> (UUID, Language, Original) {
        let id = try context.parameters.uuid("id")
        guard let language = site.languages.first(where: { $0.code == context.parameters.get("language") && $0 != .english }),
            let original = try await original(id)
        else { throw SiteError.notFound }
        return (id, language, original)
    }

    private func editor(
        id: UUID,
        language: Language,
        original: Original,
        exists: Bool,
        values: [String: String],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        _ context: Context
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let name = site.catalogs[language]["language.\(language.code)"]
        let heading = strings.format("staff.translation_heading", ["title": original.title, "language": name])
        let messages = StaffFormPage.messages(errors, strings)
        var fields = [
            StaffField(
                "title",
                .text,
                label: strings["staff.post_title"],
                hint: strings.format("staff.translation_original", ["text": original.title]),
                values: values,
                errors: messages
            )
        ]
        if let summary = original.summary {
            fields.append(
                StaffField(
                    "summary",
                    .textarea(rows: max(2, summary.split(separator: "\n").count)),
                    label: strings[original.summaryLabel],
                    hint: summary.isEmpty ? nil : summary,
                    values: values,
                    errors: messages
                )
            )
        }
        fields.append(
            StaffField("body", .textarea(rows: 16), label: strings["staff.body"], hint: strings["staff.body_hint"], values: values, errors: messages)
        )
        let action = context.link(StaffPath.translation(subject), id, language.code)
        let layout = try await site.staffLayout(
            title: heading,
            path: context.link(StaffPath.list(subject)),
            staff: context.staff,
            language: context.language
        )
        let model = StaffFormPage(
            layout: layout,
            heading: heading,
            action: action,
            fields: fields,
            errors: errors,
            strings: strings,
            submitLabel: strings["staff.save"],
            links: [
                StaffLayout.NavigationItem(
                    label: strings.format("staff.translation_back", ["title": original.title]),
                    url: context.link(StaffPath.original(subject), id),
                    isCurrent: false
                )
            ],
            sideForms: exists
                ? [
                    .init(
                        action: context.link(StaffPath.translationDelete(subject), id, language.code),
                        label: strings["staff.translation_delete"],
                        danger: true
                    )
                ] : [],
            previewHTML: original.bodyHTML.isEmpty ? nil : original.bodyHTML
        )
        return site.views.page(.staffForm, model, status: status)
    }
}

extension Site {
    /// Links from an original's editor to its translations: one per language besides English.
    func translationLinks(
        _ subject: ContentTranslation.Subject,
        id: UUID?,
        staffLanguage: Language
    ) async throws
        -> [StaffLayout.NavigationItem]
    {
        guard let id, languages.count > 1 else { return [] }
        let strings = catalogs[staffLanguage]
        let done = Set(try await Translations(database: database).all(of: subject, id: id).map(\.language))
        return languages.filter { $0 != .english }.map { language in
            let name = catalogs[language]["language.\(language.code)"]
            return StaffLayout.NavigationItem(
                label: strings.format(done.contains(language.code) ? "staff.translation_edit" : "staff.translation_add", ["language": name]),
                url: StaffPath.translation(subject)(in: staffLanguage, id, language.code),
                isCurrent: false
            )
        }
    }
}
