/// `MarkdownRenderer`: whatever an editor types renders (in linear time: libFuzzer's
/// -timeout catches a slow input) to HTML made only of the elements Markdown produces, with
/// no script, no event attribute and no link or image to a scheme outside the allowlist.
let allowedTags: Set<String> = [
    "p", "a", "img", "strong", "em", "del", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "hr",
    "br", "table", "thead", "tbody", "tr", "th", "td",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let markdown = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let renderer = MarkdownRenderer()
    let html = renderer.html(from: markdown)
    _ = renderer.problems(in: markdown)
    checkMarkup(html, allowed: allowedTags, source: markdown)
    return 0
}
