import FluentKit
import SQLKit

/// The one writer of public actions in this process. SQLite takes one writer at a time, and
/// with `synchronous=FULL` each commit waits for the disk, so a crowd signing at once would
/// queue one disk flush per person. Instead every action waiting when the writer comes free is
/// written in one transaction (group commit): each inside its own savepoint, so one that fails
/// is undone alone, and each caller is answered only after the whole transaction is committed.
public actor ActionWriter {
    /// Actions written in one transaction at most, so a batch never holds the database for long.
    public static let maximumBatch = 200

    private struct Job {
        let work: @Sendable (any Database) async throws -> ActionOutcome
        let continuation: CheckedContinuation<ActionOutcome, any Error>
    }

    private let database: any Database
    private var waiting: [Job] = []
    private var writing = false

    public init(database: any Database) {
        self.database = database
    }

    /// Runs `work` inside the next group transaction and returns its outcome once that
    /// transaction is committed; throws `work`'s own error, or the commit's.
    public func write(_ work: @escaping @Sendable (any Database) async throws -> ActionOutcome) async throws -> ActionOutcome {
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
        _ works: [@Sendable (any Database) async throws -> ActionOutcome],
        on database: any Database
    ) async throws -> [Result<ActionOutcome, any Error>] {
        try await database.transaction { db in
            let sql = db as! any SQLDatabase
            var results: [Result<ActionOutcome, any Error>] = []
            results.reserveCapacity(works.count)
            for work in works {
                try await sql.raw("SAVEPOINT action").run()
                do {
                    results.append(.success(try await work(db)))
                } catch {
                    try await sql.raw("ROLLBACK TO SAVEPOINT action").run()
                    results.append(.failure(error))
                }
                try await sql.raw("RELEASE SAVEPOINT action").run()
            }
            return results
        }
    }
}
