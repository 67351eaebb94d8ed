import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The page editor: the site's standing pages (mission, platform, about).
struct StaffPageRoutes {
    typealias Context = StaffContext<ContentArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.pages) { _, context in try await pageList(context) }
        group.get(StaffPath.newPage) { _, context in try await pageEditor(nil, values: ["status": "published"], context) }
        group.post(StaffPath.pages) { request, context in try await savePage(nil, request, context) }
        group.get(StaffPath.page) { _, context in
            let page = try await page(context)
            let values = ["title": page.title, "slug": page.slug, "summary": page.summary, "body": page.body, "status": page.status.rawValue]
            return try await pageEditor(page, values: values, context)
        }
        group.post(StaffPath.page) { request, context in try await savePage(try await page(context), request, context) }
    }

    func page(_ context: Context) async throws -> Page {
        guard let page = try await site.pages.page(id: context.parameters.uuid("id")) else {
            throw SiteError.notFound
        }
        return page
    }

    func pageList(_ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let rows = try await site.pages.all().map {
            StaffListPage.Row(
                title: $0.title,
                url: context.link(StaffPath.page, $0.id!),
                cells: [SitePath.page($0.slug), strings["staff.status_\($0.status.rawValue)"]]
            )
        }
        return try await site.staffList(
            heading: strings["staff.nav_pages"],
            path: context.link(StaffPath.pages),
            newURL: context.link(StaffPath.newPage),
            newLabel: strings["staff.new_page"],
            columns: [strings["staff.post_title"], strings["staff.slug"], strings["staff.status"]],
            rows: rows,
            staff: context.staff,
            language: context.language
        )
    }

    func pageEditor(
        _ page: Page?,
        values: [String: String],
        errors: ValidationErrors = .init(),
        preview: String? = nil,
        status: HTTPResponse.Status = .ok,
        _ context: Context
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let messages = StaffFormPage.messages(errors, strings)
        let heading = page.map { strings.format("staff.edit_post", ["title": $0.title]) } ?? strings["staff.new_page"]
        let statuses = [PublicationStatus.draft, .published].map {
            ActionForm.Option(value: $0.rawValue, label: strings["staff.status_\($0.rawValue)"], selected: false)
        }
        let fields = [
            StaffField("title", .text, label: strings["staff.post_title"], values: values, errors: messages),
            StaffField("slug", .text, label: strings["staff.slug"], hint: strings["staff.slug_hint"], values: values, errors: messages),
            StaffField("summary", .textarea(rows: 2), label: strings["staff.summary"], values: values, errors: messages),
            StaffField(
                "body",
                .textarea(rows: 16),
                label: strings["staff.body"],
                hint: strings[page?.bodyFormat == .html ? "staff.body_hint_html" : "staff.body_hint"],
                values: values,
                errors: messages
            ),
            StaffField("status", .select(statuses), label: strings["staff.status"], values: values, errors: messages),
        ]
        return try await site.staffEditor(
            heading: heading,
            list: StaffPath.pages,
            action: page.map { context.link(StaffPath.page, $0.id!) } ?? context.link(StaffPath.pages),
            fields: fields,
            errors: errors,
            status: status,
            publicURL: page.flatMap { $0.status == .published ? SitePath.page(in: context.language, $0.slug) : nil },
            translated: (.page, page?.id),
            previewHTML: preview,
            context
        )
    }

    func savePage(_ page: Page?, _ request: Request, _ context: Context) async throws -> Response {
        let fields = context.form.fields
        let draft = PageDraft(
            title: fields["title"] ?? "",
            slug: fields["slug"],
            summary: fields["summary"] ?? "",
            body: fields["body"] ?? "",
            status: PublicationStatus(rawValue: fields["status"] ?? "") == .published ? .published : .draft
        )
        return try await saveOrShowAgain {
            let saved = if let page { try await site.pages.update(page.requireID(), with: draft) } else { try await site.pages.create(draft) }
            return context.link(StaffPath.page, try saved.requireID())
        } showAgain: { errors in
            try await pageEditor(page, values: fields, errors: errors, status: .unprocessableContent, context)
        }
    }
}
