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
    checkMarkup(svg, allowed: allowedTags, source: source)
    let lowered = svg.lowercased()
    precondition(!lowered.contains("href") && !lowered.contains("javascript:"), "a link from \(source.debugDescription)")
    var rest = Substring(lowered)
    while let range = rest.range(of: "url(") {
        precondition(rest[range.upperBound...].drop { $0 == " " || $0 == "'" || $0 == "\"" }.first == "#", "url() outside from \(source.debugDescription)")
        rest = rest[range.upperBound...]
    }
    precondition(SVGSanitizer.sanitize(Array(svg.utf8)) == svg, "not stable from \(source.debugDescription)")
    return 0
}
