/// `FormFields.parse`: any query string or form body gives at most `maximumPairs` named
/// fields, each name non-empty; never a trap, never unbounded work.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let fields = FormFields.parse(text)
    precondition(fields.count <= FormFields.maximumPairs)
    precondition(fields.keys.allSatisfy { !$0.isEmpty })
    return 0
}
