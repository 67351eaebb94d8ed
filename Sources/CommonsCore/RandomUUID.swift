import Foundation

extension UUID {
    /// A new random (version 4) UUID from the system's generator (`getrandom`). Foundation's
    /// `UUID()` on Linux opens, reads and closes `/dev/urandom` for each one: a sign-up makes
    /// several rows, and those three system calls per row were about 1% of its cost.
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = (raw[6] & 0x0F) | 0x40  // version 4
            raw[8] = (raw[8] & 0x3F) | 0x80  // RFC 9562 variant
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }
}

extension UUID {
    /// A new version 7 UUID (RFC 9562): the time in milliseconds first, then random bits. Rows
    /// made one after another get ids close together, so an index on them grows at one end
    /// instead of dirtying a random page of it for every row (with this and
    /// `SupporterVault.newSupporterID`, a fifth more sign-ups a second). For rows whose time
    /// is no secret: an action, a tag, a queued message.
    public static func timeOrdered(at date: Date) -> UUID {
        let milliseconds = Self.milliseconds(date)
        return made(version: 7) { raw in
            for index in 0..<6 { raw[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        }
    }

    /// A new version 8 UUID (RFC 9562's own layout): the prefix `prefix` gives for the
    /// time's minute in the first four bytes, the millisecond within that minute in the next
    /// two, then random bits. Given a prefix that means nothing without a key (see
    /// `SupporterVault.newSupporterID`), ids made close together in time sit together in an
    /// index as version 7 ids do, without telling anyone when the row was made.
    public static func grouped(at date: Date, prefix: (_ minute: UInt64) -> UInt32) -> UUID {
        let milliseconds = Self.milliseconds(date)
        let shared = prefix(milliseconds / 60_000)
        let withinMinute = UInt16(milliseconds % 60_000)
        return made(version: 8) { raw in
            for index in 0..<4 { raw[index] = UInt8(truncatingIfNeeded: shared >> (8 * (3 - index))) }
            raw[4] = UInt8(withinMinute >> 8)
            raw[5] = UInt8(truncatingIfNeeded: withinMinute)
        }
    }

    /// Milliseconds since 1970, to the nearest, in 48 bits; 0 for a time before then or not a
    /// time at all.
    private static func milliseconds(_ date: Date) -> UInt64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite, value > 0 else { return 0 }
        return UInt64(min(value, Double(0xFFFF_FFFF_FFFF)))
    }

    private static func made(version: UInt8, _ fill: (UnsafeMutableRawBufferPointer) -> Void) -> UUID {
        var id = random().uuid
        withUnsafeMutableBytes(of: &id) { raw in
            fill(raw)
            raw[6] = (raw[6] & 0x0F) | (version << 4)
        }
        return UUID(uuid: id)
    }
}
