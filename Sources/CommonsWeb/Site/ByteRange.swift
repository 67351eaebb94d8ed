/// What a `Range` header asks of a file of a known length (RFC 9110 14.2).
enum ByteRange: Equatable {
    /// No usable range: another unit (`items=0-10`) or a malformed one; the whole file is sent.
    case ignored
    /// A well-formed byte range that lies wholly beyond the file: 416.
    case unsatisfiable
    /// First and last byte, clamped to the file.
    case bytes(Int, Int)

    /// `bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX`. Several ranges at once are
    /// answered with the first only, which RFC 9110 allows. Numbers are digits only and
    /// bounded before use, so no header value can overflow.
    static func parse(_ header: String, length: Int) -> ByteRange {
        guard header.hasPrefix("bytes=") else { return .ignored }
        let first = header.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false).first ?? ""
        let parts = first.trimmingSpaces.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .ignored }
        if parts[0].isEmpty {
            guard let suffix = number(parts[1]) else { return .ignored }
            guard suffix > 0, length > 0 else { return .unsatisfiable }
            return .bytes(max(0, length - suffix), length - 1)
        }
        guard let start = number(parts[0]) else { return .ignored }
        var end = length - 1
        if !parts[1].isEmpty {
            guard let last = number(parts[1]), last >= start else { return .ignored }
            end = min(last, length - 1)
        }
        guard start < length else { return .unsatisfiable }
        return .bytes(start, end)
    }

    /// A decimal of ASCII digits; values past 18 digits are capped (no file is that large).
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let digits = text.drop { $0 == "0" }
        if digits.utf8.count > 18 { return Int(1e18) }
        return Int(digits.isEmpty ? "0" : digits)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
