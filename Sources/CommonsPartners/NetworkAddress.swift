import NIOCore

/// Where an IP address leads, so a webhook is never sent into the server's own network: a
/// partner's URL that resolves to the loopback, a private range, link-local addresses (cloud
/// metadata services live at 169.254.169.254) or any other range not on the public internet is
/// refused. IPv4 inside IPv6 (mapped, NAT64) is judged as the IPv4 address it carries.
public enum NetworkAddress {
    public enum Reach: Sendable, Equatable {
        case publicInternet
        case loopback
        /// Private, link-local, shared, multicast, reserved or unspecified.
        case privateNetwork
    }

    public static func reach(of address: SocketAddress) -> Reach {
        switch address {
        case .v4(let v4):
            let raw = UInt32(bigEndian: v4.address.sin_addr.s_addr)
            return reach(ipv4: [UInt8(raw >> 24), UInt8((raw >> 16) & 0xff), UInt8((raw >> 8) & 0xff), UInt8(raw & 0xff)])
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            return reach(ipv6: bytes)
        case .unixDomainSocket:
            return .privateNetwork
        }
    }

    /// The four bytes of an IPv4 address, most significant first.
    public static func reach(ipv4 b: [UInt8]) -> Reach {
        guard b.count == 4 else { return .privateNetwork }
        switch (b[0], b[1]) {
        case (127, _): return .loopback
        case (0, _), (10, _), (169, 254), (192, 168): return .privateNetwork
        case (172, 16...31): return .privateNetwork
        case (100, 64...127): return .privateNetwork  // shared address space (carrier NAT)
        case (192, 0) where b[2] == 0 || b[2] == 2: return .privateNetwork  // IETF protocol assignments, documentation
        case (198, 18...19): return .privateNetwork  // benchmarking
        case (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return .privateNetwork  // documentation
        case (224...255, _): return .privateNetwork  // multicast, reserved, broadcast
        default: return .publicInternet
        }
    }

    /// The sixteen bytes of an IPv6 address.
    public static func reach(ipv6 b: [UInt8]) -> Reach {
        guard b.count == 16 else { return .privateNetwork }
        if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? .loopback : .privateNetwork }
        // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64) carry an IPv4 address.
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return reach(ipv4: Array(b[12..<16])) }
        if b[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return reach(ipv4: Array(b[12..<16])) }
        if b[0] & 0xfe == 0xfc { return .privateNetwork }  // unique local fc00::/7
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return .privateNetwork }  // link-local fe80::/10
        if b[0] == 0xff { return .privateNetwork }  // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return .privateNetwork }  // documentation
        return b[0] & 0xe0 == 0x20 ? .publicInternet : .privateNetwork  // global unicast is 2000::/3
    }
}
