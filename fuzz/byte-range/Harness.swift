/// `ByteRange.parse`: any Range header, for any file length, is ignored, unsatisfiable, or a
/// range inside the file; never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let length = Int(data[0]) << 8 | Int(data[1])
    let header = String(decoding: UnsafeBufferPointer(start: data + 2, count: size - 2), as: UTF8.self)
    if case .bytes(let start, let end) = ByteRange.parse(header, length: length) {
        precondition(0 <= start && start <= end && end < length, "\(header) for \(length) gave \(start)-\(end)")
    }
    return 0
}
