import Foundation

/// The API's `filter` parameter: any input parses or is refused with a reason, never traps or
/// hangs; a parsed date is in range, and an accepted filter written back parses to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let filter = try? OSDIFilter.parse(text) else { return 0 }
    precondition(text.utf8.count <= OSDIFilter.maximumLength)
    var clauses: [String] = []
    let formatter = ISO8601DateFormatter()
    // Whole seconds, rounded down: never past the last second of 9999.
    func written(_ date: Date) -> String { formatter.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))) }
    for date in [filter.modifiedAfter, filter.modifiedBefore].compactMap({ $0 }) {
        precondition(date.timeIntervalSince1970 >= 0 && date.timeIntervalSince1970 < 253_402_300_800)
    }
    if let after = filter.modifiedAfter { clauses.append("modified_date gt '\(written(after))'") }
    if let before = filter.modifiedBefore { clauses.append("modified_date lt '\(written(before))'") }
    if let email = filter.emailAddress {
        precondition(!email.contains("'"))
        clauses.append("email_address eq '\(email)'")
    }
    let again = clauses.joined(separator: " and ")
    if again.utf8.count <= OSDIFilter.maximumLength, let reparsed = try? OSDIFilter.parse(again) {
        precondition(reparsed.emailAddress == filter.emailAddress)
        precondition(reparsed.modifiedAfter.map { abs($0.timeIntervalSince(filter.modifiedAfter!)) < 1 } ?? (filter.modifiedAfter == nil))
    } else {
        preconditionFailure("an accepted filter did not parse again: \(again)")
    }
    return 0
}
