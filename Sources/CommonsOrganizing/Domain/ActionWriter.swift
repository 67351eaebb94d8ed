import FluentKit

/// The one writer of public actions in this process. SQLite takes one writer at a time, and
/// with `synchronous=FULL` each commit waits for the disk, so a crowd signing at once would
/// queue one disk flush per person. Instead every action waiting when the writer comes free is
/// written in one transaction (group commit), and each caller is answered only after that
/// transaction is committed. When any action of a group fails (rare: a form sent twice at
/// once), the whole group is rolled back and each action is written again in a transaction of
/// its own, so the failing one fails alone and the others are still stored.
public actor ActionWriter {
    /// Actions written in one transaction at most, so a batch never holds the database for long.
    public static let maximumBatch = 200

    private struct Job {
        let work: @Sendable (any Database) async throws -> ActionReceipt
        let continuation: CheckedContinuation<ActionReceipt, any Error>
    }

    private let database: any Database
    private var waiting: [Job] = []
    private var writing = false
    /// Told each group's size and how long its commit took (for the operator's metrics).
    private let observe: @Sendable (_ size: Int, _ commit: Duration) -> Void

    public init(database: any Database, observe: @escaping @Sendable (_ size: Int, _ commit: Duration) -> Void = { _, _ in }) {
        self.database = database
        self.observe = observe
    }

    /// Runs `work` inside the next group transaction and returns its outcome once that
    /// transaction is committed; throws `work`'s own error, or the commit's.
    public func write(_ work: @escaping @Sendable (any Database) async throws -> ActionReceipt) async throws -> ActionReceipt {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Job(work: work, continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(Self.maximumBatch))
            waiting.removeFirst(batch.count)
            let works = batch.map(\.work)
            let started = ContinuousClock.now
            defer { observe(batch.count, ContinuousClock.now - started) }
            do {
                let results = try await Self.commit(works, on: database)
                for (job, result) in zip(batch, results) { job.continuation.resume(with: result) }
            } catch {
                for job in batch { job.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }

    private static func commit(
        _ works: [@Sendable (any Database) async throws -> ActionReceipt],
        on database: any Database
    ) async throws -> [Result<ActionReceipt, any Error>] {
        do {
            return try await database.transaction { db in
                var outcomes: [Result<ActionReceipt, any Error>] = []
                outcomes.reserveCapacity(works.count)
                for work in works { outcomes.append(.success(try await work(db))) }
                return outcomes
            }
        } catch  where works.count > 1 {
            var outcomes: [Result<ActionReceipt, any Error>] = []
            for work in works {
                do {
                    outcomes.append(.success(try await database.transaction { db in try await work(db) }))
                } catch {
                    outcomes.append(.failure(error))
                }
            }
            return outcomes
        }
    }
}
