import CommonsContent

extension NewsList {
    enum Query {
        /// One page of public news; nil when the page does not exist.
        static func run(site: Site, page: Int) async throws -> NewsPage? {
            try await site.newsroom.publicPosts(page: page)
        }
    }
}
