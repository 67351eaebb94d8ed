/// `SVGSanitizer`: whatever bytes a logo upload holds, what is kept is made only of the allowed
/// shapes, names nothing outside the drawing, and comes out the same when read again.
let allowedTags: Set<String> = [
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "title", "desc", "defs", "lineargradient",
    "radialgradient", "stop", "clippath",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let svg = SVGSanitizer.sanitize(bytes) else { return 0 }
    let source = String(decoding: bytes, as: UTF8.self)
    // No link of any kind: an attribute is read as a browser reads it, so `href="` inside
    // another attribute's value (which the fuzzer found) is not taken for one.
    checkMarkup(svg, allowed: allowedTags, source: source, links: false)
    // Attribute values (text in `title` and `desc` is only text): no link, no outside reference.
    for piece in svg.components(separatedBy: "=\"").dropFirst() {
        let value = piece.prefix { $0 != "\"" }.lowercased().replacingOccurrences(of: "&#39;", with: "'")
        check(!value.contains("javascript:") && !value.contains("data:"), "a script or data scheme from \(source.debugDescription)")
        var rest = Substring(value)
        while let range = rest.range(of: "url(") {
            check(rest[range.upperBound...].drop { $0 == " " || $0 == "'" }.first == "#", "url() outside from \(source.debugDescription)")
            rest = rest[range.upperBound...]
        }
    }
    check(SVGSanitizer.sanitize(Array(svg.utf8)) == svg, "not stable: \(svg.debugDescription) from \(source.debugDescription)")
    return 0
}

/// Kept in an optimised build, message and all (`precondition` drops its message there).
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
