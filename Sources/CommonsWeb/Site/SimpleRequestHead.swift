/// The head of a plain GET or HEAD request, read from its bytes as they arrived, for
/// `CachedPageBytesHandler` to answer a cached page before NIO's HTTP decoder runs.
///
/// It is deliberately narrow: only what browsers, crawlers and load testers send for a page.
/// The request line is `GET` or `HEAD`, an origin-form target of URI characters, and
/// `HTTP/1.1`; each field line is a token, a colon and a value of visible ASCII, spaces and
/// tabs; every line ends in CRLF and the head fits in `maximumLength` bytes with at most
/// `maximumFields` fields. Anything else (a partial head, another method or version, a bare
/// LF, a folded line, a byte outside ASCII) is not read here, and NIO's decoder reads it as
/// always, refusals included.
struct SimpleRequestHead: Equatable {
    struct Field: Equatable {
        let name: String
        let value: String
    }

    let isHead: Bool
    /// The request target as sent: a path starting with `/`, with its query.
    let target: String
    let fields: [Field]
    /// The bytes the head took, its blank line included.
    let length: Int

    static let maximumLength = 8 * 1024
    static let maximumFields = 64

    /// The head at the start of `bytes`, or nil when they do not start with a complete head
    /// of this simple kind.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> SimpleRequestHead? {
        var reader = Reader(bytes: bytes.prefix(maximumLength))
        let isHead: Bool
        if reader.skip("GET ") {
            isHead = false
        } else if reader.skip("HEAD ") {
            isHead = true
        } else {
            return nil
        }
        guard reader.peek == UInt8(ascii: "/") else { return nil }
        let target = reader.take(while: isTargetByte)
        guard reader.skip(" HTTP/1.1\r\n") else { return nil }
        var fields: [Field] = []
        while !reader.skip("\r\n") {
            guard fields.count < maximumFields else { return nil }
            let name = reader.take(while: isTokenByte)
            guard !name.isEmpty, reader.skip(":") else { return nil }
            _ = reader.take(while: isSpace)
            var value = reader.take(while: isValueByte)
            guard reader.skip("\r\n") else { return nil }
            while let last = value.last, isSpace(last) { value.removeLast() }
            fields.append(Field(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        }
        return SimpleRequestHead(isHead: isHead, target: String(decoding: target, as: UTF8.self), fields: fields, length: reader.offset)
    }

    /// RFC 3986's unreserved and reserved characters (less the fragment's `#` and the
    /// brackets of an address literal) and `%`: what a target may hold unescaped.
    static func isTargetByte(_ byte: UInt8) -> Bool { targetBytes[Int(byte)] }

    /// RFC 9110's `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool { tokenBytes[Int(byte)] }

    private static let targetBytes = table(extra: "-._~:/?@!$&'()*+,;=%")
    private static let tokenBytes = table(extra: "!#$%&'*+-.^_`|~")

    /// A look-up of the 256 byte values: letters, digits and `extra` are true.
    private static func table(extra: String) -> [Bool] {
        (0...255).map { value in
            let byte = UInt8(value)
            return (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || extra.utf8.contains(byte)
        }
    }

    /// Visible ASCII, space and tab.
    static func isValueByte(_ byte: UInt8) -> Bool { (0x20...0x7E).contains(byte) || byte == 0x09 }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// A cursor over the bytes.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer.SubSequence
        var offset = 0

        var peek: UInt8? { offset < bytes.count ? bytes[bytes.startIndex + offset] : nil }

        /// Moves past `text` when the bytes continue with it.
        mutating func skip(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard bytes.count - offset >= count else { return false }
            let start = text.utf8Start
            for index in 0..<count where bytes[bytes.startIndex + offset + index] != start[index] { return false }
            offset += count
            return true
        }

        mutating func take(while accepted: (UInt8) -> Bool) -> [UInt8] {
            let start = offset
            while let byte = peek, accepted(byte) { offset += 1 }
            return Array(bytes[(bytes.startIndex + start)..<(bytes.startIndex + offset)])
        }
    }
}
