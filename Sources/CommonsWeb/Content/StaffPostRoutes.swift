import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The post editor: list, write, preview, schedule, publish, unpublish, revisions, delete.
struct StaffPostRoutes {
    typealias Context = StaffContext<ContentArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.posts) { _, context in try await list(context) }
        group.get(StaffPath.newPost) { _, context in try await editor(nil, values: [:], context) }
        group.post(StaffPath.posts) { request, context in try await save(nil, request, context) }
        group.get(StaffPath.post) { _, context in
            let post = try await post(context)
            return try await editor(post, values: values(of: post), context)
        }
        group.post(StaffPath.post) { request, context in try await save(try await post(context), request, context) }
        group.get(StaffPath.postRevisions) { _, context in try await revisions(try await post(context), context) }
        group.post(StaffPath.restoreRevision) { _, context in
            let post = try await post(context)
            let revisionID = try context.parameters.uuid("revision")
            guard
                try await site.newsroom.revisions(of: post.requireID()).contains(where: { $0.id == revisionID })
            else { throw SiteError.notFound }
            try await site.newsroom.restore(revision: revisionID)
            return Response.redirect(to: context.link(StaffPath.post, try post.requireID()), type: .normal)
        }
        group.post(StaffPath.deletePost) { _, context in
            try await site.newsroom.delete(try await post(context).requireID())
            return Response.redirect(to: context.link(StaffPath.posts), type: .normal)
        }
    }

    func post(_ context: Context) async throws -> Post {
        guard let post = try await site.newsroom.post(id: context.parameters.uuid("id")) else {
            throw SiteError.notFound
        }
        return post
    }

    func save(_ post: Post?, _ request: Request, _ context: Context) async throws -> Response {
        var fields = context.form.fields
        fields["csrf_token"] = nil
        if fields["intent"] == "preview" {
            return try await editor(post, values: fields, preview: (post?.bodyFormat ?? .markdown).html(fields["body"] ?? ""), context)
        }
        var errors = ValidationErrors()
        let status = PublicationStatus(rawValue: fields["status"] ?? "") ?? .draft
        var publishAt: Date?
        if let raw = fields["publish_at"], !raw.isEmpty {
            publishAt = LocalDateTime.parse(raw, in: site.settings.timeZone)
            if publishAt == nil { errors.add(field: "publish_at", message: "error.date_invalid") }
        }
        func list(_ name: String) -> [String] {
            (fields[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let draft = PostDraft(
            title: fields["title"] ?? "",
            slug: fields["slug"],
            summary: fields["summary"] ?? "",
            body: fields["body"] ?? "",
            status: status,
            publishAt: publishAt,
            byline: fields["byline"] ?? "",
            categories: list("categories"),
            tags: list("tags"),
            featuredDocumentID: fields["featured_document"].flatMap(UUID.init(uuidString:))
        )
        return try await saveOrShowAgain(found: errors) {
            let saved = if let post { try await site.newsroom.update(post.requireID(), with: draft) } else { try await site.newsroom.create(draft) }
            return context.link(StaffPath.post, try saved.requireID())
        } showAgain: { errors in
            try await editor(post, values: fields, errors: errors, status: .unprocessableContent, context)
        }
    }
}
