import GRDB
import PortDailyCore
import Synchronization

/// Group commit: writes that arrive while the store is busy wait in a queue, and the next
/// transaction takes all of them at once, so many concurrent submissions share one commit and one
/// fsync instead of paying one each.
///
/// Each submission runs in a savepoint of the shared transaction: one that fails (an all-or-nothing
/// batch refused, a constraint) is rolled back alone and its caller gets the error, the others go
/// on. A failure of the store itself (disk full, I/O error) fails the whole group, and nothing of
/// it is acknowledged. Every caller is answered only after the commit returned.
final class GroupCommit: Sendable {
    private let connection: StoreConnection
    private let state = Mutex(State())

    private struct State {
        var queue: [Submission] = []
        var draining = false
        var statistics = GroupCommitStatistics()
    }

    private struct Submission: Sendable {
        let batch: [ValidatedVoyage]
        let rules: StoreRules
        let now: Instant
        let allOrNothing: Bool
        let continuation: CheckedContinuation<IngestResult, any Error>
    }

    init(connection: StoreConnection) { self.connection = connection }

    var statistics: GroupCommitStatistics { state.withLock { $0.statistics } }

    func submit(_ batch: [ValidatedVoyage], rules: StoreRules, now: Instant, allOrNothing: Bool) async throws -> IngestResult {
        try await withCheckedThrowingContinuation { continuation in
            let submission = Submission(batch: batch, rules: rules, now: now, allOrNothing: allOrNothing, continuation: continuation)
            let startDraining = state.withLock { state in
                state.queue.append(submission)
                state.statistics.submissions += 1
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDraining { Task { await self.drain() } }
        }
    }

    /// Commits groups until the queue is empty; exactly one drain runs at a time.
    private func drain() async {
        while true {
            let group = state.withLock { state in
                let group = state.queue
                state.queue.removeAll()
                if group.isEmpty { state.draining = false }
                return group
            }
            guard !group.isEmpty else { return }
            do {
                let results = try await connection.writer.write { db in try group.map { try Self.apply($0, in: db) } }
                state.withLock { $0.statistics.transactions += 1 }
                for (submission, result) in zip(group, results) { submission.continuation.resume(with: result) }
            } catch {
                for submission in group { submission.continuation.resume(throwing: error) }
            }
        }
    }

    /// One submission in its own savepoint. A store failure escapes and fails the group: SQLite may
    /// have rolled the whole transaction back already.
    private static func apply(_ submission: Submission, in db: Database) throws -> Result<IngestResult, any Error> {
        var result: IngestResult?
        do {
            try db.inSavepoint {
                result = try PortDailyStore.ingest(db, submission.batch, rules: submission.rules, now: submission.now,
                                                   allOrNothing: submission.allOrNothing)
                return .commit
            }
        } catch where !PortDailyStore.isUnavailable(error) {
            return .failure(error)
        }
        return .success(result!)
    }
}

/// Counts since the store was opened: submissions received, and the transactions that committed them.
public struct GroupCommitStatistics: Sendable, Equatable {
    public var submissions = 0
    public var transactions = 0
}
