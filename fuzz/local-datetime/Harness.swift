import Foundation

/// `LocalDateTime.parse`: any form value is a date in 1900-9999 or not a date, never a trap; in
/// UTC (no clock changes) a parsed value prints back to exactly what was typed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let date = LocalDateTime.parse(text, in: TimeZone(identifier: "UTC")!) {
        precondition(LocalDateTime.format(date, in: TimeZone(identifier: "UTC")!) == text, "does not round-trip: \(text)")
    }
    if let date = LocalDateTime.parse(text, in: TimeZone(identifier: "America/New_York")!) {
        let seconds = date.timeIntervalSince1970
        precondition(seconds >= -2_209_000_000 && seconds < 253_402_400_000, "a date outside 1900-9999: \(text)")
        _ = LocalDateTime.format(date, in: TimeZone(identifier: "America/New_York")!)
    }
    return 0
}
