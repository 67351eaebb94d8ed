import CommonsCore
import Foundation
import Hummingbird

extension Request {
    /// A value from the query string as an HTML form sends it.
    func formQueryValue(_ name: String) -> String? {
        uri.query.map(FormFields.parse)?[name]
    }

    /// The `page` a list is asked for: 1 when absent; "not found" when it is not a page number
    /// a list can have (see `Pagination`), so no page number reaches arithmetic unchecked.
    func pageQuery() throws -> Int {
        guard let raw = formQueryValue("page") else { return 1 }
        guard let page = Pagination.page(raw) else { throw SiteError.notFound }
        return page
    }

    /// The fields of a posted form, read up to the context's body limit (413 beyond it).
    func formFields(context: AppRequestContext) async throws -> [String: String] {
        let body = try await self.body.collect(upTo: context.maxUploadSize)
        return FormFields.parse(String(buffer: body))
    }
}
