import Foundation
import Hummingbird

/// `application/x-www-form-urlencoded` as browsers send it: `+` is a space, `%XX` a byte.
/// (Hummingbird's query decoding keeps `+` as it is.) The first value of a name wins.
enum FormFields {
    static func parse(_ encoded: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), !name.isEmpty, fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? (decode(parts[1]) ?? "") : ""
        }
        return fields
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

extension Request {
    /// A value from the query string as an HTML form sends it.
    func formQueryValue(_ name: String) -> String? {
        uri.query.map(FormFields.parse)?[name]
    }

    /// The fields of a posted form, read up to the context's body limit (413 beyond it).
    func formFields(context: AppRequestContext) async throws -> [String: String] {
        let body = try await self.body.collect(upTo: context.maxUploadSize)
        return FormFields.parse(String(buffer: body))
    }
}
