import CommonsPrivacy
import FluentKit
import Foundation

/// One public action waiting for the writer, checked and complete, so that a group of them can
/// be written with a few statements (see `ActionBatch`).
public struct ActionRequest: Sendable {
    public let submission: ActionSubmission
    /// Tags the supporter gets, each once.
    public let tags: [String]
    public let kind: Action.Kind
    public let campaign: Campaign?
    public let event: Event?
    /// A new "yes" to email news waits for the person's confirmation.
    public let doubleOptIn: Bool
    public let at: Date

    public init(
        _ submission: ActionSubmission,
        kind: Action.Kind,
        tags: [String],
        campaign: Campaign? = nil,
        event: Event? = nil,
        doubleOptIn: Bool = false,
        at: Date
    ) {
        self.submission = submission
        var seen = Set<String>()
        self.tags = tags.filter { seen.insert($0).inserted }
        self.kind = kind
        self.campaign = campaign
        self.event = event
        self.doubleOptIn = doubleOptIn
        self.at = at
    }
}

/// The one writer of public actions in this process. SQLite takes one writer at a time, and
/// with `synchronous=FULL` each commit waits for the disk, so a crowd signing at once would
/// queue one disk flush per person. Instead every action waiting when the writer comes free is
/// written in one transaction (group commit) by `ActionBatch`, a few statements for the whole
/// group, and each caller is answered only after that transaction is committed. When the group
/// fails (rare: the same form sent to two servers at once, a campaign deleted meanwhile), it is
/// rolled back and each action is written again in a transaction of its own, so the failing one
/// fails alone and the others are still stored.
public actor ActionWriter {
    /// Actions written in one transaction at most, so a batch never holds the database for long.
    public static let maximumBatch = 200

    /// One caller's requests and where their outcomes go.
    private struct Job {
        let requests: [ActionRequest]
        let continuation: CheckedContinuation<[Result<ActionReceipt, any Error>], Never>
    }

    private let database: any Database
    private let batch: ActionBatch
    private var waiting: [Job] = []
    private var writing = false
    /// Told each group's size and how long its commit took (for the operator's metrics).
    private let observe: @Sendable (_ size: Int, _ commit: Duration) -> Void

    /// - Parameter followUp: runs after each group's new actions, in their transaction.
    public init(
        database: any Database,
        keys: DataKeys,
        followUp: ActionFollowUp? = nil,
        observe: @escaping @Sendable (_ size: Int, _ commit: Duration) -> Void = { _, _ in }
    ) {
        self.database = database
        self.batch = ActionBatch(vault: SupporterVault(keys: keys), followUp: followUp)
        self.observe = observe
    }

    /// Writes `request` in the next group transaction and answers once that transaction is
    /// committed; throws what kept it from being written.
    public func write(_ request: ActionRequest) async throws -> ActionReceipt {
        try await write([request])[0].get()
    }

    /// Writes several requests that wait together, so they go into the same group when the
    /// writer comes free (up to `maximumBatch`); answers each one's outcome, in order.
    public func write(_ requests: [ActionRequest]) async -> [Result<ActionReceipt, any Error>] {
        guard !requests.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            waiting.append(Job(requests: requests, continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            // Whole jobs, up to the group's size (a larger job goes alone).
            var count = 0
            var taken = 0
            for job in waiting {
                guard taken == 0 || count + job.requests.count <= Self.maximumBatch else { break }
                count += job.requests.count
                taken += 1
            }
            let jobs = Array(waiting.prefix(taken))
            waiting.removeFirst(taken)
            let started = ContinuousClock.now
            var results = await commit(jobs.flatMap(\.requests))[...]
            observe(count, ContinuousClock.now - started)
            for job in jobs {
                job.continuation.resume(returning: Array(results.prefix(job.requests.count)))
                results = results.dropFirst(job.requests.count)
            }
        }
        writing = false
    }

    private func commit(_ requests: [ActionRequest]) async -> [Result<ActionReceipt, any Error>] {
        do {
            return try await database.transaction { [batch] db in try await batch.write(requests, on: db) }.map { .success($0) }
        } catch {
            guard requests.count > 1 else { return [.failure(error)] }
            var results: [Result<ActionReceipt, any Error>] = []
            for request in requests {
                do {
                    results.append(.success(try await database.transaction { [batch] db in try await batch.write([request], on: db)[0] }))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }
}
