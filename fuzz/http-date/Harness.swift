import Foundation

/// `HTTPDate.parse`: any header value is a date in 1900-9999 that prints and parses back to
/// itself, or not a date; never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let date = HTTPDate.parse(text) else { return 0 }
    let seconds = date.timeIntervalSince1970
    precondition(seconds >= -2_208_988_800 && seconds < 253_402_387_200, "a date outside 1900-9999: \(text)")
    precondition(HTTPDate.parse(HTTPDate.string(date)) == date, "does not round-trip: \(text)")
    return 0
}
