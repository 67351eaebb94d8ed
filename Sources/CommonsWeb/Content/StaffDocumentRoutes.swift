import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The document library: upload, replace, describe, delete.
struct StaffDocumentRoutes {
    typealias Context = StaffContext<ContentArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
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
        fields.append(
            StaffField(
                "file",
                .file(accept: ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.webp"),
                label: fileLabel,
                hint: strings["staff.file_hint"],
                values: values,
                errors: messages
            )
        )
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
        return try await site.staffEditor(
            heading: heading,
            list: StaffPath.documents,
            action: document.map { context.link(StaffPath.document, $0.id!) } ?? context.link(StaffPath.documents),
            fields: fields,
            errors: errors,
            status: status,
            submitLabel: strings[document == nil ? "staff.upload" : "staff.save"],
            publicURL: document.map { SitePath.document(in: context.language, $0.slug) },
            translated: (.document, document?.id),
            multipart: true,
            sideForms: sideForms,
            context
        )
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
