/// `HTMLSanitizer`: whatever HTML a WordPress body holds comes out made only of the allowlist's
/// elements, without scripts, event attributes or dangerous link schemes.
let allowedTags: Set<String> = [
    "p", "a", "img", "strong", "em", "b", "i", "u", "s", "del", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "blockquote", "hr", "br", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "figure", "figcaption", "caption", "sub", "sup",
    "cite", "q", "abbr", "small", "mark", "dl", "dt", "dd",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let html = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = HTMLSanitizer().sanitize(html)
    checkMarkup(result.html, allowed: allowedTags, source: html)
    return 0
}
