/// `SimpleRequestHead.parse`: any bytes are either left to NIO's decoder (nil) or read as a
/// whole head that ends in a blank line within the bytes, whose target is a path and whose
/// fields hold no line breaks or edge spaces, and which reads the same written out again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let head = SimpleRequestHead.parse(bytes) else { return 0 }
    precondition(head.length >= 18 && head.length <= size && head.length <= SimpleRequestHead.maximumLength, "length \(head.length) of \(size)")
    precondition(Array(bytes[(head.length - 4)..<head.length]) == Array("\r\n\r\n".utf8), "does not end in a blank line")
    precondition(head.target.hasPrefix("/") && !head.target.contains(" "), "target \(head.target)")
    precondition(head.fields.count <= SimpleRequestHead.maximumFields)
    for field in head.fields {
        precondition(!field.name.isEmpty && !field.name.contains(":"), "name \(field.name)")
        precondition(!field.value.contains("\r") && !field.value.contains("\n"), "value \(field.value)")
        precondition(field.value.first != " " && field.value.last != " " && field.value.last != "\t", "value \(field.value)")
    }
    // Only the head's own bytes: the same head.
    precondition(SimpleRequestHead.parse(UnsafeRawBufferPointer(rebasing: bytes[..<head.length])) == head, "reads differently alone")
    // Written out plainly: the same method, target and fields.
    let text = (head.isHead ? "HEAD " : "GET ") + head.target + " HTTP/1.1\r\n" + head.fields.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n"
    let again = Array(text.utf8).withUnsafeBytes { SimpleRequestHead.parse($0) }
    precondition(again?.fields == head.fields && again?.target == head.target && again?.isHead == head.isHead, "reads differently written out")
    return 0
}
