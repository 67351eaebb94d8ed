import CommonsContent
import FluentKit

extension PostShow {
    struct Query {
        let post: Post
        let older: Post?
        let newer: Post?
        /// The documents the post's body links to, in the order it links them.
        let documents: [Document]

        /// The post as the public may see it; nil when there is none.
        static func run(site: Site, slug: String) async throws -> Query? {
            guard let post = try await site.newsroom.publicPost(slug: slug) else { return nil }
            let (older, newer) = try await site.newsroom.neighbours(of: post)
            var documents: [Document] = []
            for documentSlug in DocumentLinks.slugs(in: post.body) {
                if let document = try await site.library.publicDocument(slug: documentSlug) { documents.append(document) }
            }
            return Query(post: post, older: older, newer: newer, documents: documents)
        }

    }
}
