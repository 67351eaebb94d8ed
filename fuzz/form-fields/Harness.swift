import Foundation

/// `FormFields.parse`: any query string or form body gives at most `maximumPairs` named
/// fields, each name non-empty; never a trap, never unbounded work. A part written in ASCII
/// (percent escapes may stand for any bytes) decodes as Foundation's `removingPercentEncoding`
/// decodes it after `+` to space, except that bytes which are not UTF-8 give nil where Foundation
/// sometimes puts U+FFFD in their place. Other parts are not compared: Foundation on Linux works
/// on characters there, so a `+` or `%` carrying a combining mark escapes it, and reads a NUL
/// as the end of a C string.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let fields = FormFields.parse(text)
    precondition(fields.count <= FormFields.maximumPairs)
    precondition(fields.keys.allSatisfy { !$0.isEmpty })
    let part = text.prefix(200)
    guard part.utf8.allSatisfy({ $0 > 0 && $0 < 0x80 }) else { return 0 }
    let ours = FormFields.decode(part)
    let foundation = String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    if let ours {
        precondition(ours == foundation)
    } else {
        precondition(foundation == nil || foundation!.contains("\u{FFFD}"))
    }
    return 0
}
