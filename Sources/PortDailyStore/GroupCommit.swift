import Dispatch
import GRDB
import PortDailyCore
import Synchronization

/// Group commit: writes that arrive while the store is busy wait in a queue, and the next
/// transaction takes all of them at once, so many concurrent submissions share one commit and one
/// fsync instead of paying one each.
///
/// Each submission's records are stored in a savepoint of the shared transaction: one that fails
/// (an all-or-nothing batch refused, a constraint) is rolled back alone and its caller gets the
/// error, the others go on. Then the days they changed are folded once, however many of the
/// submissions touched each (a day of an open date is only marked stale, and folded when read:
/// see ``StaleDays``). A failure of the store itself (disk full, I/O error), or of that
/// fold, fails the whole group, and nothing of it is acknowledged. Every caller is answered only
/// after the commit returned.
///
/// After a group failed on a full disk, the next one first empties and truncates the write-ahead
/// log (a `TRUNCATE` checkpoint), and fails at once if that fails: otherwise the first writes once
/// space came back grew the log into it, the checkpoint that would have emptied the log could then
/// no longer grow the database file, and the store stayed full for good (found by bench/faults).
///
/// The groups are written from a dispatch queue of the group commit's own, which waits for each
/// write and answers the callers from there: a drain run as a task instead waited, after every
/// commit, for a turn on the cooperative threads the requests were keeping busy, and the writer
/// sat idle meanwhile.
final class GroupCommit: Sendable {
    private let connection: StoreConnection
    private let registerCache: VersionedCache<[MMSI: Vessel]>
    private let state = Mutex(State())
    private let drainQueue = DispatchQueue(label: "portdaily.group-commit")

    private struct State {
        var queue: [Submission] = []
        var draining = false
        /// A write failed on a full disk: reclaim the log's space before writing more to it.
        var reclaimLogFirst = false
        var statistics = GroupCommitStatistics()
    }

    private struct Submission: Sendable {
        let batch: [ValidatedVoyage]
        let rules: StoreRules
        let now: Instant
        let allOrNothing: Bool
        let actor: AuditActor
        let continuation: CheckedContinuation<IngestResult, any Error>
    }

    init(connection: StoreConnection, registerCache: VersionedCache<[MMSI: Vessel]>) {
        self.connection = connection
        self.registerCache = registerCache
    }

    var statistics: GroupCommitStatistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.waiting = state.queue.count
            return statistics
        }
    }

    /// Returns once no group is being written or waiting (checked every millisecond), or after
    /// `limit`: background writes go in group commit's gaps, and a load without gaps only slows them.
    func waitForGap(atMost limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while state.withLock({ $0.draining }), ContinuousClock.now < deadline {
            do { try await Task.sleep(for: .milliseconds(1)) } catch { return }  // cancelled
        }
    }

    func submit(_ batch: [ValidatedVoyage], rules: StoreRules, now: Instant, allOrNothing: Bool,
                actor: AuditActor) async throws -> IngestResult {
        try await withCheckedThrowingContinuation { continuation in
            let submission = Submission(batch: batch, rules: rules, now: now, allOrNothing: allOrNothing, actor: actor,
                                        continuation: continuation)
            let startDraining = state.withLock { state in
                state.queue.append(submission)
                state.statistics.submissions += 1
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDraining { drainQueue.async { self.drain() } }
        }
    }

    /// Commits groups until the queue is empty; exactly one drain runs at a time.
    private func drain() {
        while true {
            let (group, reclaimLogFirst) = state.withLock { state in
                let group = state.queue
                state.queue.removeAll()
                if group.isEmpty { state.draining = false }
                return (group, state.reclaimLogFirst)
            }
            guard !group.isEmpty else { return }
            do {
                // A damaged store takes nothing more. Its writing connection refuses changes, but
                // `query_only` would not stop the checkpoint below from writing the file.
                if let damage = connection.damage { throw DatabaseError(resultCode: .SQLITE_READONLY, message: "the store is damaged: \(damage)") }
                if reclaimLogFirst {
                    _ = try connection.writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
                    state.withLock { $0.reclaimLogFirst = false }
                }
                let results = try connection.writer.write { [registerCache] db in
                    try Self.apply(group, register: registerCache.value(at: StoreVersions.current(db).register), in: db)
                }
                state.withLock { $0.statistics.transactions += 1 }
                for (submission, result) in zip(group, results) { submission.continuation.resume(with: result) }
            } catch {
                if (error as? DatabaseError)?.resultCode == .SQLITE_FULL { state.withLock { $0.reclaimLogFirst = true } }
                for submission in group { submission.continuation.resume(throwing: error) }
            }
        }
    }

    /// The group in one transaction. Submissions under one configuration share a fold; a reload
    /// between two of them starts another.
    /// `register`, when given, is the register as this transaction sees it (the requests' snapshot).
    private static func apply(_ group: [Submission], register: [MMSI: Vessel]?, in db: Database) throws
        -> [Result<IngestResult, any Error>] {
        var results: [Result<IngestResult, any Error>] = []
        var start = group.startIndex
        while start < group.endIndex {
            let rules = group[start].rules
            let end = group[start...].firstIndex { $0.rules != rules } ?? group.endIndex
            results += try apply(group[start..<end], rules: rules, register: register, in: db)
            start = end
        }
        return results
    }

    /// Each submission's records in its own savepoint, then one fold of every day they changed. A
    /// store failure escapes and fails the group: SQLite may have rolled the whole transaction back.
    private static func apply(_ run: ArraySlice<Submission>, rules: StoreRules, register: [MMSI: Vessel]?, in db: Database)
        throws -> [Result<IngestResult, any Error>] {
        var refold = ReportRefold(db: db, rules: rules, now: run.map(\.now).max()!, register: register,
                                  deferringOpenDays: true)
        var stored: [Result<(outcomes: [RecordOutcome], days: Set<VesselDay>), any Error>] = []
        // The group's events take consecutive ids, read once (a submission rolled back frees its own).
        var auditId = try PortDailyStore.nextAuditId(db)
        for submission in run {
            var trial = refold
            trial.forgetRecentMarks()
            var outcomes: [RecordOutcome] = []
            do {
                try inSavepoint(db) {
                    outcomes = try PortDailyStore.record(db, submission.batch, rules: rules, now: submission.now,
                                                         allOrNothing: submission.allOrNothing, auditId: auditId,
                                                         marking: &trial)
                    try PortDailyStore.recordSubmission(db, id: auditId, actor: submission.actor, outcomes: outcomes,
                                                        at: submission.now)
                }
                refold = trial
                auditId += 1
                stored.append(.success((outcomes, trial.recentlyMarked)))
            } catch where !PortDailyStore.isUnavailable(error) {
                stored.append(.failure(error))
            }
        }
        try refold.run()
        // Each submission is answered with the revisions of its days, in the order they were written.
        let written = refold.written
        let positions = Dictionary(grouping: written.indices) { VesselDay(mmsi: written[$0].mmsi, date: written[$0].date) }
        return stored.map { result in
            result.map { outcomes, days in
                IngestResult(outcomes: outcomes, revisions: days.flatMap { positions[$0] ?? [] }.sorted().map { written[$0] })
            }
        }
    }
}

/// `operations` in a savepoint of the open transaction: released when they succeed, rolled back
/// when they throw (unless SQLite rolled the whole transaction back already). GRDB's `inSavepoint`
/// prepares its statements again on every call; these stay prepared on the connection.
private func inSavepoint(_ db: Database, _ operations: () throws -> Void) throws {
    try db.cachedStatement(sql: "SAVEPOINT submission").execute()
    do {
        try operations()
    } catch {
        if db.isInsideTransaction {
            try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT submission").execute()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT submission").execute()
        }
        throw error
    }
    try db.cachedStatement(sql: "RELEASE SAVEPOINT submission").execute()
}

/// Counts since the store was opened: submissions received, and the transactions that committed
/// them; and how many submissions wait for the next transaction now.
public struct GroupCommitStatistics: Sendable, Equatable {
    public var submissions = 0
    public var transactions = 0
    public var waiting = 0
}
