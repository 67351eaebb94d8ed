import Foundation
import HTTPTypes
import NIOCore
import Synchronization

/// Public pages as last rendered, held in memory so a crowd opening the same page costs one
/// render. Entries are keyed by path and query (the language is part of the path), bounded in
/// bytes with least-recently-used eviction, and all dropped when the database's content version
/// moves. The version is read at most once per `checkInterval`, so a change made on another app
/// server (or by a command) shows here within that interval; `refresh()` reads it at once after
/// a change made here. Pages that depend on the clock alone (a scheduled post coming due, an event
/// passing) are rendered again after `maximumAge`.
final class PageCache: Sendable {
    /// One rendered page, with its gzip form made once when it was stored.
    struct Entry: Sendable {
        let headers: HTTPFields
        let body: ByteBuffer
        let gzipped: ByteBuffer?
        let etag: String
        let lastModified: String
        let storedAt: ContinuousClock.Instant
        /// The route that rendered it, for the request log and metrics of a page answered from here.
        var route: String? = nil

        var size: Int { body.readableBytes + (gzipped?.readableBytes ?? 0) + 512 }
    }

    private struct Slot {
        var entry: Entry
        var lastUsed: UInt64
    }

    private struct State {
        var version: Int64?
        var checkedAt: ContinuousClock.Instant?
        var checking = false
        var slots: [String: Slot] = [:]
        var bytes = 0
        var tick: UInt64 = 0
        /// Pages being rendered now, with the requests waiting for them.
        var rendering: [String: [CheckedContinuation<Entry?, Never>]] = [:]
    }

    /// What `lookup` found.
    enum Lookup {
        case hit(Entry)
        /// Render the page; when `claimed`, call `finish` afterwards, for others may be waiting.
        case render(claimed: Bool)
    }

    let capacity: Int
    let checkInterval: Duration
    let maximumAge: Duration
    private let readVersion: @Sendable () async throws -> Int64
    private let state = Mutex(State())

    /// - Parameters:
    ///   - capacity: bytes of pages (plain and gzipped) held at most.
    ///   - readVersion: reads the content version from the database.
    init(
        capacity: Int,
        checkInterval: Duration = .seconds(1),
        maximumAge: Duration = .seconds(60),
        readVersion: @escaping @Sendable () async throws -> Int64
    ) {
        self.capacity = capacity
        self.checkInterval = checkInterval
        self.maximumAge = maximumAge
        self.readVersion = readVersion
    }

    /// How many pages are held now.
    var entryCount: Int { state.withLock { $0.slots.count } }
    /// The memory they take.
    var byteCount: Int { state.withLock { $0.bytes } }

    /// The content version pages may be stored under now, read from the database when the last
    /// reading is older than `checkInterval`. Nil when it cannot be read: then nothing is cached.
    func currentVersion() async -> Int64? {
        let now = ContinuousClock.now
        let (known, due) = state.withLock { state -> (Int64?, Bool) in
            let fresh = state.checkedAt.map { now - $0 < checkInterval } ?? false
            // One request reads the version; the others go on with the one known meanwhile.
            if fresh || (state.checking && state.version != nil) { return (state.version, false) }
            state.checking = true
            return (state.version, true)
        }
        guard due else { return known }
        return await read()
    }

    /// Reads the version now: called after a change made through this server, so its own next
    /// page shows the change at once.
    @discardableResult
    func refresh() async -> Int64? {
        state.withLock { $0.checking = true }
        return await read()
    }

    private func read() async -> Int64? {
        let version = try? await readVersion()
        let now = ContinuousClock.now
        return state.withLock { state in
            state.checking = false
            guard let version else {
                state.version = nil
                state.checkedAt = nil
                return nil
            }
            if state.version != version {
                state.slots.removeAll()
                state.bytes = 0
                state.version = version
            }
            state.checkedAt = now
            return version
        }
    }

    /// The page for `key`, or `.render` when this request should render it. While one request
    /// renders a page, others asking for it wait for that render, so a crowd arriving at a page
    /// that just changed costs one render rather than one each; a page past `maximumAge` is
    /// served as it was while one request renders it again.
    func lookup(_ key: String, version: Int64) async -> Lookup {
        enum Decision {
            case hit(Entry)
            case render(claimed: Bool)
            case wait
        }
        let now = ContinuousClock.now
        let decision = state.withLock { state -> Decision in
            guard state.version == version else { return .render(claimed: false) }
            if var slot = state.slots[key] {
                state.tick += 1
                slot.lastUsed = state.tick
                state.slots[key] = slot
                if now - slot.entry.storedAt < maximumAge || state.rendering[key] != nil { return .hit(slot.entry) }
                state.rendering[key] = []
                return .render(claimed: true)
            }
            if state.rendering[key] != nil { return .wait }
            state.rendering[key] = []
            return .render(claimed: true)
        }
        switch decision {
        case .hit(let entry): return .hit(entry)
        case .render(let claimed): return .render(claimed: claimed)
        case .wait:
            let entry: Entry? = await withCheckedContinuation { continuation in
                let finished = state.withLock { state -> Bool in
                    guard state.rendering[key] != nil else { return true }
                    state.rendering[key]!.append(continuation)
                    return false
                }
                if finished { continuation.resume(returning: state.withLock { $0.slots[key]?.entry }) }
            }
            return entry.map { .hit($0) } ?? .render(claimed: false)
        }
    }

    /// The page for `key` when it can be answered without waiting for anything: the content
    /// version was read within `checkInterval` and the page is younger than `maximumAge`. Nil
    /// otherwise, and then the request takes the router's path (`lookup`), which reads the
    /// version or renders as needed. What `CachedPageHandler` answers from, on the event loop.
    func freshEntry(_ key: String) -> Entry? {
        let now = ContinuousClock.now
        return state.withLock { state -> Entry? in
            guard state.version != nil, let checkedAt = state.checkedAt, now - checkedAt < checkInterval,
                var slot = state.slots[key], now - slot.entry.storedAt < maximumAge
            else { return nil }
            state.tick += 1
            slot.lastUsed = state.tick
            state.slots[key] = slot
            return slot.entry
        }
    }

    /// Ends a render `lookup` gave this request: keeps the page when there is one (and it is
    /// still current) and hands it to the requests that waited; without one they render it
    /// themselves.
    func finish(_ key: String, entry: Entry?, version: Int64) {
        if let entry { store(entry, for: key, version: version) }
        let waiting = state.withLock { $0.rendering.removeValue(forKey: key) ?? [] }
        for waiter in waiting { waiter.resume(returning: entry) }
    }

    /// Keeps a page rendered while `version` was current; a page rendered before a change that
    /// arrived meanwhile is not kept.
    func store(_ entry: Entry, for key: String, version: Int64) {
        guard entry.size <= capacity / 4 else { return }
        state.withLock { state in
            guard state.version == version else { return }
            if let old = state.slots[key] { state.bytes -= old.entry.size }
            state.tick += 1
            state.slots[key] = Slot(entry: entry, lastUsed: state.tick)
            state.bytes += entry.size
            guard state.bytes > capacity else { return }
            // Evict the least recently used down to 90%, in one pass, rather than one by one.
            var bytes = state.bytes
            for (key, slot) in state.slots.sorted(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                guard bytes > capacity * 9 / 10 else { break }
                state.slots[key] = nil
                bytes -= slot.entry.size
            }
            state.bytes = bytes
        }
    }

    /// Pages held and their bytes, for tests and the benchmark's notes.
    var usage: (pages: Int, bytes: Int) {
        state.withLock { ($0.slots.count, $0.bytes) }
    }
}
