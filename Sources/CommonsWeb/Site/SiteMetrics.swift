import CommonsStorage
import Foundation
import Prometheus
import SQLKit
import Synchronization

/// What an operator watches, in Prometheus's text format (`/metrics`), through swift-prometheus:
/// requests by route pattern and status (never by raw path, so no slug or id becomes a label),
/// their latency, the page cache's hits, misses and size, the action writer's batches, the mail
/// outbox by status, and the process's memory. Each application has its own registry.
final class SiteMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "commons", metricName: metric, unitName: unit, helpText: help)
    }

    /// The registry checks a metric's name and help text each time it is asked for one, which
    /// costs more than answering a cached page: each metric is asked for once and kept here.
    private struct RequestMetrics {
        let count: Counter
        let duration: DurationHistogram
    }
    private let requestMetrics = Mutex<[String: RequestMetrics]>([:])
    private let cacheLookups = Mutex<[Bool: Counter]>([:])
    private let fastPathAnswers = Mutex<[Bool: Counter]>([:])

    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = route + " " + method + " " + String(status)
        let metrics = requestMetrics.withLock { cached in
            if let found = cached[key] { return found }
            let made = RequestMetrics(
                count: registry.makeCounter(
                    descriptor: Self.name("http_requests", "total", "HTTP requests answered, by route pattern, method and status."),
                    labels: [("route", route), ("method", method), ("status", String(status))]
                ),
                duration: registry.makeDurationHistogram(
                    descriptor: Self.name("http_request_duration", "seconds", "Time to answer a request, by route pattern."),
                    labels: [("route", route)],
                    buckets: Self.latencyBuckets
                )
            )
            cached[key] = made
            return made
        }
        metrics.count.increment()
        metrics.duration.record(duration)
    }

    func pageCache(hit: Bool) {
        cacheLookups.withLock { cached in
            if let found = cached[hit] { return found }
            let made = registry.makeCounter(
                descriptor: Self.name("page_cache_lookups", "total", "Page cache lookups, by result (hit or miss)."),
                labels: [("result", hit ? "hit" : "miss")]
            )
            cached[hit] = made
            return made
        }.increment()
    }

    /// A cached page answered on the event loop, before the router: from the request's bytes
    /// (`CachedPageBytesHandler`) or from the head NIO decoded (`CachedPageHandler`). It is also
    /// counted as a page cache hit and as a request.
    func fastPathAnswer(fromBytes: Bool) {
        fastPathAnswers.withLock { cached in
            if let found = cached[fromBytes] { return found }
            let made = registry.makeCounter(
                descriptor: Self.name(
                    "page_cache_fast_path_answers",
                    "total",
                    "Cached pages answered before the router, on the event loop, by stage (from the request's bytes or after HTTP decoding)."
                ),
                labels: [("stage", fromBytes ? "bytes" : "decoded")]
            )
            cached[fromBytes] = made
            return made
        }.increment()
    }

    func actionBatch(size: Int, commit: Duration) {
        registry.makeValueHistogram(
            descriptor: Self.name("action_writer_batch_size", "actions", "Public actions written in one group commit."),
            buckets: [1, 2, 5, 10, 20, 50, 100, 200]
        ).record(Double(size))
        registry.makeDurationHistogram(
            descriptor: Self.name("action_writer_commit_duration", "seconds", "Time to write and commit one group of actions."),
            buckets: Self.latencyBuckets
        ).record(commit)
    }

    /// The exposition text, with the gauges read now: the page cache, the process's memory, and
    /// the database's connections as the database sees them (on PostgreSQL, every server's, by
    /// state, from `pg_stat_activity`; SQLite has this process's one).
    func scrape(pageCache: PageCache?, store: CommonsDatabase) async -> String {
        var connections: [(String, Double)] = [("open", 1)]
        if case .postgres = store.location,
            let rows = try? await store.sql.raw(
                "SELECT coalesce(state, 'unknown') AS state, count(*) AS n FROM pg_stat_activity WHERE datname = current_database() GROUP BY 1"
            ).all()
        {
            connections = rows.compactMap { row in
                guard let state = try? row.decode(column: "state", as: String.self), let count = try? row.decode(column: "n", as: Int.self) else {
                    return nil
                }
                return (state.replacingOccurrences(of: " ", with: "_"), Double(count))
            }
        }
        for (state, count) in connections {
            registry.makeGauge(
                descriptor: Self.name("database", "connections", "Connections to the database, by state."),
                labels: [("state", state)]
            ).set(count)
        }
        // The mail outbox by status: a growing "queued" is a relay that does not take mail.
        if let rows = try? await store.sql.raw("SELECT status, count(*) AS n FROM outbox GROUP BY status").all() {
            var counts = ["queued": 0, "sent": 0, "failed": 0, "suppressed": 0]
            for row in rows {
                if let status = try? row.decode(column: "status", as: String.self), let count = try? row.decode(column: "n", as: Int.self) {
                    counts[status] = count
                }
            }
            for (status, count) in counts {
                registry.makeGauge(
                    descriptor: Self.name("mail_outbox", "messages", "Messages in the mail outbox, by status."),
                    labels: [("status", status)]
                ).set(Double(count))
            }
        }
        if let pageCache {
            registry.makeGauge(descriptor: Self.name("page_cache_size", "bytes", "Memory held by rendered pages.")).set(Double(pageCache.byteCount))
            registry.makeGauge(descriptor: Self.name("page_cache_entries", "pages", "Rendered pages kept.")).set(Double(pageCache.entryCount))
        }
        if let resident = Self.residentBytes() {
            registry.makeGauge(descriptor: Self.name("process_resident_memory", "bytes", "Resident memory of this process.")).set(Double(resident))
        }
        return registry.emitToString()
    }

    /// Resident set size from `/proc/self/statm` (Linux); nil elsewhere.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
