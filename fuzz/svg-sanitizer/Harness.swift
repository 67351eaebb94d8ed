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
    // No link of any kind, no outside reference in any attribute's value (text in `title` and
    // `desc` is only text); attributes read as a browser reads them.
    checkMarkup(svg, allowed: allowedTags, source: source, links: false)
    check(SVGSanitizer.sanitize(Array(svg.utf8)) == svg, "not stable: \(svg.debugDescription) from \(source.debugDescription)")
    return 0
}

/// Kept in an optimised build, message and all (`precondition` drops its message there).
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
