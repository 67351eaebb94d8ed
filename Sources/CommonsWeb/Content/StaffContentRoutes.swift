import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The page and document editors.
struct StaffContentRoutes {
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

        group.get(StaffPath.documents) { _, context in try await documentList(context) }
        group.get(StaffPath.newDocument) { _, context in try await documentEditor(nil, values: [:], context) }
        group.post(StaffPath.documents) { request, context in try await upload(request, context) }
        group.get(StaffPath.document) { _, context in
            let document = try await document(context)
            return try await documentEditor(
                document,
                values: ["title": document.title, "slug": document.slug, "description": document.description],
                context
            )
        }
        group.post(StaffPath.document) { request, context in try await saveDocument(try await document(context), request, context) }
        group.post(StaffPath.deleteDocument) { _, context in
            try await site.library.delete(try await document(context).requireID())
            return Response.redirect(to: context.link(StaffPath.documents), type: .normal)
        }
    }

    // MARK: Pages

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
        let layout = try await site.staffLayout(title: heading, path: context.link(StaffPath.pages), staff: context.staff, language: context.language)
        let links =
            page.flatMap {
                $0.status == .published
                    ? [StaffLayout.NavigationItem(label: strings["staff.view_public"], url: SitePath.page($0.slug), isCurrent: false)] : nil
            } ?? []
        let model = StaffFormPage(
            layout: layout,
            heading: heading,
            action: page.map { context.link(StaffPath.page, $0.id!) } ?? context.link(StaffPath.pages),
            fields: fields,
            errors: errors,
            strings: strings,
            submitLabel: strings["staff.save"],
            links: links + (try await site.translationLinks(.page, id: page?.id, staffLanguage: context.language)),
            previewHTML: preview
        )
        return site.views.page(.staffForm, model, status: status)
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

    // MARK: Documents

    func document(_ context: Context) async throws -> Document {
        guard let document = try await site.library.document(id: context.parameters.uuid("id")) else {
            throw SiteError.notFound
        }
        return document
    }

    func documentList(_ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        let rows = try await site.library.all().map { document in
            StaffListPage.Row(
                title: document.title,
                url: context.link(StaffPath.document, document.id!),
                cells: [
                    SitePath.document(document.slug),
                    "\(FileType(contentType: document.contentType)?.label ?? document.contentType), \(formatting.size(document.byteCount))",
                ]
            )
        }
        return try await site.staffList(
            heading: strings["staff.nav_documents"],
            path: context.link(StaffPath.documents),
            newURL: context.link(StaffPath.newDocument),
            newLabel: strings["staff.new_document"],
            columns: [strings["staff.post_title"], strings["staff.slug"], strings["documents.type"]],
            rows: rows,
            staff: context.staff,
            language: context.language
        )
    }

    func documentEditor(
        _ document: Document?,
        values: [String: String],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        _ context: Context
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let messages = StaffFormPage.messages(errors, strings)
        let heading = document.map { strings.format("staff.edit_post", ["title": $0.title]) } ?? strings["staff.new_document"]
        var fields = [
            StaffField("title", .text, label: strings["staff.post_title"], values: values, errors: messages),
            StaffField("slug", .text, label: strings["staff.slug"], hint: strings["staff.slug_hint"], values: values, errors: messages),
            StaffField(
                "description",
                .textarea(rows: 3),
                label: strings["staff.description"],
                hint: strings["staff.description_hint"],
                values: values,
                errors: messages
            ),
        ]
        let fileLabel = strings[document == nil ? "staff.file" : "staff.replace_file"]
        fields.append(StaffField("file", .file, label: fileLabel, hint: strings["staff.file_hint"], values: values, errors: messages))
        let layout = try await site.staffLayout(
            title: heading,
            path: context.link(StaffPath.documents),
            staff: context.staff,
            language: context.language
        )
        let links =
            document.map { [StaffLayout.NavigationItem(label: strings["staff.view_public"], url: SitePath.document($0.slug), isCurrent: false)] }
            ?? []
        let sideForms =
            document.map {
                [
                    StaffFormPage.SideForm(
                        action: context.link(StaffPath.deleteDocument, $0.id!),
                        label: strings["staff.delete_document"],
                        danger: true
                    )
                ]
            }
            ?? []
        let model = StaffFormPage(
            layout: layout,
            heading: heading,
            action: document.map { context.link(StaffPath.document, $0.id!) } ?? context.link(StaffPath.documents),
            multipart: true,
            fields: fields,
            errors: errors,
            strings: strings,
            submitLabel: strings[document == nil ? "staff.upload" : "staff.save"],
            links: links + (try await site.translationLinks(.document, id: document?.id, staffLanguage: context.language)),
            sideForms: sideForms
        )
        return site.views.page(.staffForm, model, status: status)
    }

    func upload(_ request: Request, _ context: Context) async throws -> Response {
        let form = context.form
        let file = form.files["file"]
        return try await saveOrShowAgain {
            let document = try await site.library.add(
                DocumentUpload(
                    title: form.fields["title"] ?? "",
                    slug: form.fields["slug"],
                    description: form.fields["description"] ?? "",
                    fileName: file?.fileName ?? "",
                    bytes: file?.bytes ?? Data()
                )
            )
            return context.link(StaffPath.document, try document.requireID())
        } showAgain: { errors in
            try await documentEditor(nil, values: form.fields, errors: errors, status: .unprocessableContent, context)
        }
    }

    func saveDocument(_ document: Document, _ request: Request, _ context: Context) async throws -> Response {
        let form = context.form
        let id = try document.requireID()
        return try await saveOrShowAgain {
            try await site.library.update(
                id,
                title: form.fields["title"] ?? "",
                slug: form.fields["slug"],
                description: form.fields["description"] ?? ""
            )
            if let file = form.files["file"], !file.bytes.isEmpty {
                try await site.library.replaceFile(of: id, fileName: file.fileName, bytes: file.bytes)
            }
            return context.link(StaffPath.document, id)
        } showAgain: { errors in
            try await documentEditor(document, values: form.fields, errors: errors, status: .unprocessableContent, context)
        }
    }
}
