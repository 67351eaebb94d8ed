import Foundation
import Hummingbird

extension Request {
    /// A value from the query string as an HTML form sends it: `+` is a space, `%XX` a byte.
    /// (Hummingbird's own decoding keeps `+` as it is.)
    func formQueryValue(_ name: String) -> String? {
        guard let query = uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            guard key == name else { continue }
            let raw = parts.count > 1 ? String(parts[1]) : ""
            return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw
        }
        return nil
    }
}
