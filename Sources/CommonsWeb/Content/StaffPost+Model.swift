import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The post list and the post editor's page.
extension StaffPostRoutes {
    struct ListPage {
        struct Row {
            let title: String
            let editURL: String
            let status: String
            let date: String
        }

        let layout: StaffLayout
        let rows: [Row]
        let newURL: String
    }

    func list(_ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let posts = try await site.newsroom.allPosts()
        let formatting = site.formatting(context.language)
        let rows = posts.map { post in
            ListPage.Row(
                title: post.title,
                editURL: context.link(StaffPath.post, post.id!),
                status: strings["staff.status_\(post.status.rawValue)"],
                date: post.publishAt.map(formatting.date) ?? ""
            )
        }
        let layout = try await site.staffLayout(
            title: strings["staff.nav_posts"],
            path: context.link(StaffPath.posts),
            staff: context.staff,
            language: context.language
        )
        return site.views.page(.staffPosts, ListPage(layout: layout, rows: rows, newURL: context.link(StaffPath.newPost)))
    }

    struct EditorPage {
        let layout: StaffLayout
        let heading: String
        let action: String
        let values: [String: String]
        let statuses: [ActionForm.Option]
        let images: [ActionForm.Option]
        let errors: [String: String]
        let errorSummary: [ActionForm.ErrorLink]
        let hasErrors: Bool
        let previewHTML: String?
        /// How to write the body: Markdown, or HTML for a post imported from WordPress.
        let bodyHint: String
        let publicURL: String?
        let revisionsURL: String?
        let translationLinks: [StaffLayout.NavigationItem]
        let deleteURL: String?
        let saved: Bool
    }

    func values(of post: Post) -> [String: String] {
        [
            "title": post.title, "slug": post.slug, "summary": post.summary, "body": post.body, "status": post.status.rawValue,
            "publish_at": post.publishAt.map { LocalDateTime.format($0, in: site.settings.timeZone) } ?? "", "byline": post.byline,
            "categories": post.categories.map(\.name).joined(separator: ", "),
            "tags": post.tags.map(\.name).joined(separator: ", "), "featured_document": post.$featuredDocument.id?.uuidString ?? "",
        ]
    }

    func editor(
        _ post: Post?,
        values: [String: String],
        errors: ValidationErrors = .init(),
        preview: String? = nil,
        status: HTTPResponse.Status = .ok,
        _ context: Context
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let heading = post == nil ? strings["staff.new_post"] : strings.format("staff.edit_post", ["title": post!.title])
        let chosen = values["status"] ?? PublicationStatus.draft.rawValue
        let messages = StaffFormPage.messages(errors, strings)
        let layout = try await site.staffLayout(title: heading, path: context.link(StaffPath.posts), staff: context.staff, language: context.language)
        let chosenImage = values["featured_document"] ?? ""
        let images =
            [ActionForm.Option(value: "", label: strings["staff.none"], selected: chosenImage.isEmpty)]
            + (try await site.library.all()).filter { FileType(contentType: $0.contentType)?.isPicture == true }.map {
                ActionForm.Option(value: $0.id!.uuidString, label: $0.title, selected: $0.id!.uuidString == chosenImage)
            }
        let model = EditorPage(
            layout: layout,
            heading: heading,
            action: post.map { context.link(StaffPath.post, $0.id!) } ?? context.link(StaffPath.posts),
            values: values,
            statuses: PublicationStatus.allCases.map {
                ActionForm.Option(value: $0.rawValue, label: strings["staff.status_\($0.rawValue)"], selected: $0.rawValue == chosen)
            },
            images: images,
            errors: messages,
            errorSummary: errors.fields.compactMap { field in errors[field].map { ActionForm.ErrorLink(text: strings[$0], target: "#post-\(field)") }
            },
            hasErrors: !errors.isEmpty,
            previewHTML: preview,
            bodyHint: strings[post?.bodyFormat == .html ? "staff.body_hint_html" : "staff.body_hint"],
            publicURL: post.flatMap { $0.isPublic(at: site.clock.now) ? SitePath.post($0.slug) : nil },
            revisionsURL: post.map { context.link(StaffPath.postRevisions, $0.id!) },
            translationLinks: try await site.translationLinks(.post, id: post?.id, staffLanguage: context.language),
            deleteURL: post.map { context.link(StaffPath.deletePost, $0.id!) },
            saved: false
        )
        return site.views.page(.staffPostEditor, model, status: status)
    }
}
