import CommonsCore
import Foundation
import Hummingbird

/// Answers a public handler gives instead of a page; the error middleware renders them.
enum SiteError: Error {
    /// 404: nothing here.
    case notFound
    /// 410: something was here and was deliberately removed.
    case gone
}

extension Parameters {
    /// A path parameter that names a record by its UUID: anything that is not one is "not
    /// found", parsed here once rather than by a guard in each handler.
    func uuid(_ name: String) throws -> UUID {
        guard let raw = self.get(name), raw.utf8.count == 36, let id = UUID(uuidString: raw) else { throw SiteError.notFound }
        return id
    }

    /// A page number in the path (`/news/page/:page`): "not found" unless it is one a list can
    /// have (see `Pagination`), so no page number reaches arithmetic unchecked.
    func pageNumber() throws -> Int {
        guard let page = get("page").flatMap(Pagination.page) else { throw SiteError.notFound }
        return page
    }
}
