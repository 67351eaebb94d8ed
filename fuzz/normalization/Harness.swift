/// The normalisers of what people type: a phone is E.164 or refused, an email normalizes once
/// and for all, a valid email has no character a mail header could be split on.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let phone = Normalization.phone(text) {
        precondition(phone.first == "+" && phone.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }, phone)
        precondition((9...16).contains(phone.count), phone)
        precondition(Normalization.phone(phone) == phone, "not idempotent: \(phone)")
    }
    let email = Normalization.email(text)
    precondition(Normalization.email(email) == email)
    if Normalization.isValidEmail(email) {
        precondition(email.utf8.count <= 254)
        precondition(!email.unicodeScalars.contains { $0.value < 0x21 || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" || $0 == "\"" })
    }
    _ = Normalization.postalCode(text)
    _ = Normalization.text(text)
    return 0
}
