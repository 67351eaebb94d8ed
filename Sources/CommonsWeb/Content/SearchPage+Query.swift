import CommonsContent
import FluentKit
import Foundation

extension SearchPage {
    /// A search hit with the address and name of what it found.
    struct Found {
        let hit: SearchHit
        let path: String
    }

    enum Query {
        static func run(site: Site, query: String, page: Int) async throws -> (found: [Found], hasMore: Bool) {
            let results = try await SearchIndex(database: site.database, clock: site.clock).search(query, page: page)
            var found: [Found] = []
            for hit in results.hits {
                let path: String?
                switch hit.kind {
                case .post: path = try await Post.find(hit.id, on: site.database).map { SitePath.post($0.slug) }
                case .page: path = try await Page.find(hit.id, on: site.database).map { SitePath.page($0.slug) }
                case .document: path = try await Document.find(hit.id, on: site.database).map { SitePath.document($0.slug) }
                }
                if let path { found.append(Found(hit: hit, path: path)) }
            }
            return (found, results.hasMore)
        }
    }
}
