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
}
