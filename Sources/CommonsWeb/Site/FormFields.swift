import Foundation

/// `application/x-www-form-urlencoded` as browsers send it: `+` is a space, `%XX` a byte.
/// (Hummingbird's query decoding keeps `+` as it is.) The first value of a name wins; a name
/// or value that does not decode to UTF-8 is dropped; past `maximumPairs` the rest is ignored.
enum FormFields {
    /// More than any form of ours sends, few enough that a hostile body costs little.
    static let maximumPairs = 1000

    static func parse(_ encoded: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in encoded.split(separator: "&", maxSplits: maximumPairs).prefix(maximumPairs) {
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
