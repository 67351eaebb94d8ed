import CommonsContent

extension NewsList {
    /// Which list of posts a page shows.
    enum Source {
        case all
        case category(Category)
        case tag(Tag)

        var path: (Int) -> String {
            switch self {
            case .all: { SitePath.news(page: $0) }
            case .category(let category): { SitePath.category(category.slug, page: $0) }
            case .tag(let tag): { SitePath.tag(tag.slug, page: $0) }
            }
        }
    }

    enum Query {
        /// One page of public posts; nil when the page does not exist.
        static func run(site: Site, source: Source, page: Int) async throws -> NewsPage? {
            switch source {
            case .all: try await site.newsroom.publicPosts(page: page)
            case .category(let category): try await site.newsroom.publicPosts(inCategory: category, page: page)
            case .tag(let tag): try await site.newsroom.publicPosts(withTag: tag, page: page)
            }
        }
    }
}
