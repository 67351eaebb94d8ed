import Foundation

/// `TrustedProxies`: any proxy list and any forwarding headers give a list or nil and an
/// address or nil, never a trap; the address found is the peer or one the headers named.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
    _ = TrustedProxies(parts[0])
    let proxies = TrustedProxies("127.0.0.1, 10.0.0.0/8, ::1, fd00::/8")!
    let xff = parts.count > 1 ? parts[1] : nil
    let forwarded = parts.count > 2 ? parts[2] : nil
    let found = proxies.client(peer: "127.0.0.1", forwardedFor: xff, forwarded: forwarded, forwardedProto: parts.count > 3 ? parts[3] : nil)
    if let address = found.address, address != "127.0.0.1" {
        precondition(TrustedProxies.bytes(of: address) != nil, "not an address: \(address)")
        precondition(text.contains(address), "an address the headers did not name: \(address)")
    }
    return 0
}
