import Foundation

/// What a staff request brings besides form fields: a step-up form's `return_to`, a
/// User-Agent, a Base32 key, and the text a QR code is drawn for. None traps or hangs; an
/// accepted `return_to` is a path of this site; Base32 round-trips; a QR code fits its version.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let path = StaffInput.staffAddress(text) {
        precondition(path.hasPrefix("/") && !path.hasPrefix("//") && !path.contains("\\"))
        precondition(URL(string: "https://commons.test" + path)?.host == "commons.test")
    }
    _ = StaffInput.browserFamily(text)
    if let bytes = Base32.decode(text) {
        precondition(Base32.decode(Base32.encode(bytes)) == bytes)
    }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    precondition(Base32.decode(Base32.encode(bytes)) == bytes)
    // Drawing takes milliseconds: one input in eight is drawn, up to the enrolment link's size
    // (a few hundred bytes); longer texts are checked only for refusal.
    guard size > 0, data[0] & 7 == 0 else { return 0 }
    if text.utf8.count <= 300 {
        let code = QRCode(text)!
        precondition(code.size == code.version * 4 + 17 && code.modules.count == code.size)
        precondition(code.modules.allSatisfy { $0.count == code.size })
    } else if text.utf8.count > 2331 {
        precondition(QRCode(text) == nil)
    }
    return 0
}
