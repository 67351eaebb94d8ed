import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reverse proxies (`COMMONS_TRUSTED_PROXIES`) whose word about the client is taken. From
/// one of them, the client is the right-most address in `X-Forwarded-For` (or, without it, in
/// `Forwarded: for=`) that is not itself a trusted proxy, and the scheme is `X-Forwarded-Proto`
/// (or `Forwarded: proto=`); from anyone else those headers are ignored, so a visitor cannot
/// choose the address their rate limit is counted under.
public struct TrustedProxies: Sendable, Equatable {
    /// An address range: the network's bytes (4 for IPv4, 16 for IPv6) and its prefix length.
    struct Range: Sendable, Equatable {
        let network: [UInt8]
        let prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == network.count else { return false }
            var bits = prefix
            for (a, n) in zip(address, network) {
                guard bits > 0 else { return true }
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if a & mask != n & mask { return false }
                bits -= 8
            }
            return true
        }
    }

    let ranges: [Range]

    public static let none = TrustedProxies(ranges: [])

    /// `10.0.0.1, 192.168.0.0/16, ::1, fd00::/8`; nil when any part is not an address or range.
    public init?(_ list: String) {
        var ranges: [Range] = []
        for part in list.split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = Self.bytes(of: String(pieces[0])) else { return nil }
            var prefix = address.count * 8
            if pieces.count == 2 {
                guard pieces[1].count <= 3, let bits = Int(pieces[1]), (0...prefix).contains(bits) else { return nil }
                prefix = bits
            }
            ranges.append(Range(network: address, prefix: prefix))
        }
        self.ranges = ranges
    }

    init(ranges: [Range]) {
        self.ranges = ranges
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// Whether `address` (as the connection or a header names it) is one of the proxies.
    public func contains(_ address: String) -> Bool {
        guard !ranges.isEmpty, let bytes = Self.bytes(of: address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The client's address and whether it came over HTTPS, as far as the connection and the
    /// trusted proxies say. `peer` is the connection's address.
    public func client(
        peer: String?,
        forwardedFor: String?,
        forwarded: String?,
        forwardedProto: String?
    ) -> (
        address: String?, https: Bool?
    ) {
        guard let peer, contains(peer) else { return (peer, nil) }
        var chain: [String] = []
        var protocols: [String] = []
        if let forwardedFor {
            chain = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        } else if let forwarded {
            for element in forwarded.split(separator: ",") {
                for pair in element.split(separator: ";") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
                    let value = Self.node(parts[1].trimmingCharacters(in: .whitespaces))
                    if name == "for" { chain.append(value) }
                    if name == "proto" { protocols.append(value.lowercased()) }
                }
            }
        }
        // Right to left: each trusted proxy vouches for the hop before it; the first hop no
        // proxy of ours added is the client. A value that is not an address ends the walk.
        var client = peer
        for hop in chain.reversed() {
            guard Self.bytes(of: hop) != nil else { break }
            client = hop
            if !contains(hop) { break }
        }
        let proto =
            forwardedProto.map { $0.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "" }
            ?? protocols.last
        return (client, proto.map { $0 == "https" })
    }

    /// `"[2001:db8::1]:4711"` → `2001:db8::1`, `192.0.2.1:80` → `192.0.2.1`: a `Forwarded` node without quotes, brackets or port.
    static func node(_ raw: String) -> String {
        var value = raw
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            return String(value[value.index(after: value.startIndex)..<close])
        }
        if value.filter({ $0 == ":" }).count == 1, let colon = value.firstIndex(of: ":") { return String(value[..<colon]) }
        return value
    }

    /// An IPv4 or IPv6 address's bytes (an IPv4-mapped IPv6 address as its IPv4 bytes), by the
    /// C library's own parser; nil for anything else.
    static func bytes(of text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 64, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
            return bytes
        }
        return nil
    }
}
