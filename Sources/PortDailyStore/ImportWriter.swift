import Dispatch
import Foundation
import GRDB
import PortDailyCore
import Synchronization

/// How a bulk import writes: how long one of its transactions may stay open, and the page cache
/// its connection keeps meanwhile.
public struct BulkWritePolicy: Sendable, Equatable {
    /// A transaction is committed once it has been open this long (and at the end of the input).
    /// Each commit writes every page the transaction changed to the WAL once, however many of its
    /// records changed it: a feed in departure order changes pages all over the voyage indexes, and
    /// a commit per 5,000 records wrote each of them again and again. It is also the longest any
    /// other writer of the store (a running daemon) waits for the import.
    public var transactionTime: Duration
    /// The page cache of the import's connection while it writes, in KiB (SQLite's own default is
    /// 2 MiB): the index pages a transaction changes stay in memory until its commit instead of
    /// being written out, and read back, in the middle of it.
    public var cacheKiB: Int

    public init(transactionTime: Duration = .seconds(1), cacheKiB: Int = 256 * 1024) {
        self.transactionTime = transactionTime
        self.cacheKiB = cacheKiB
    }
}

/// The bulk import's writing thread: it holds the store's writer for the whole import and writes
/// the batches handed to it, in order, in transactions of as many batches as arrive within
/// ``BulkWritePolicy/transactionTime``. A batch's result is handed back only once the transaction
/// that holds it is committed, so nothing is reported stored before it is durable; a failure
/// rolls back the open transaction, and every batch handed over after the last commit is lost
/// with it (the import stops with the error, and a resend of the file is safe).
///
/// Up to ``VoyageImporter/writesInFlight`` batches wait to be written: handing over one more
/// waits for a slot, so the reader runs ahead of the writer by that much at most.
final class ImportWriter: Sendable {
    private let worker: Worker

    init(store: PortDailyStore, rules: StoreRules, now: Instant, deferringOpenDays: Bool, policy: BulkWritePolicy,
         waiting: Int, actor: AuditActor) {
        worker = Worker(waiting: waiting)
        let thread = Thread { [worker] in
            worker.run(store, rules: rules, now: now, deferringOpenDays: deferringOpenDays, policy: policy, actor: actor)
        }
        thread.name = "portdaily-import-writer"
        thread.start()
    }

    /// An import given up (its reader failed) rolls back what is not committed and lets the store's writer go.
    deinit { worker.end(.abandon) }

    /// Hands a batch over, in writing order (``WriteOrder``), waiting for a slot; throws the writer's error if it has failed.
    /// `commitAfter`: commit once it is written, whatever the time (a batch that only appends to
    /// the indexes, as a feed grouped by vessel does, rewrites few pages at a commit: the import
    /// of a year of 46 vessels took 0.71 s in one transaction, 0.65 s committed batch by batch).
    func write(_ batch: [ValidatedVoyage], prepared: PreparedFold?, commitAfter: Bool = false) throws {
        try worker.hand(.batch(batch, prepared, commitAfter: commitAfter))
    }

    /// The results of the batches committed since the last call, in the order they were handed over.
    func takeCommitted() -> [IngestResult] {
        worker.state.withLock { state in
            defer { state.committed.removeAll() }
            return state.committed
        }
    }

    /// Commits what is open and ends the thread; the results not taken yet, or the writer's error.
    func finish() throws -> [IngestResult] {
        worker.end(.finish)
        return try worker.state.withLock { state in
            if let failure = state.failure { throw failure }
            defer { state.committed.removeAll() }
            return state.committed
        }
    }

    private final class Worker: Sendable {
        enum Item { case batch([ValidatedVoyage], PreparedFold?, commitAfter: Bool), finish, abandon }

        struct State {
            var queue: [Item] = []
            var committed: [IngestResult] = []
            var failure: (any Error)?
            var ending = false
        }

        let state = Mutex(State())
        private let arrived = DispatchSemaphore(value: 0)
        private let slots: DispatchSemaphore
        private let waiting: Int
        private let ended = DispatchSemaphore(value: 0)

        init(waiting: Int) {
            self.waiting = waiting
            // Signalled up from 0: libdispatch refuses to free a semaphore left below its initial value.
            slots = DispatchSemaphore(value: 0)
            for _ in 0..<waiting { slots.signal() }
        }

        func hand(_ item: Item) throws {
            slots.wait()
            try state.withLock { state in
                if let failure = state.failure { throw failure }
                state.queue.append(item)
            }
            arrived.signal()
        }

        /// Ends the thread (once: a finished writer is not abandoned) and waits for it.
        func end(_ item: Item) {
            let first = state.withLock { state in
                defer { state.ending = true }
                if !state.ending { state.queue.append(item) }
                return !state.ending
            }
            if first { arrived.signal() }
            ended.wait()
            ended.signal()
        }

        func run(_ store: PortDailyStore, rules: StoreRules, now: Instant, deferringOpenDays: Bool, policy: BulkWritePolicy,
                 actor: AuditActor) {
            do {
                try store.writer.writeWithoutTransaction { db in
                    try write(db, rules: rules, now: now, deferringOpenDays: deferringOpenDays, policy: policy, actor: actor)
                }
            } catch {
                state.withLock { $0.failure = error }
            }
            ended.signal()
            // A reader waiting for a slot learns of the failure instead of waiting for ever.
            for _ in 0..<waiting { slots.signal() }
        }

        private func write(_ db: Database, rules: StoreRules, now: Instant, deferringOpenDays: Bool,
                           policy: BulkWritePolicy, actor: AuditActor) throws {
            let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -\(policy.cacheKiB)")
            defer {
                // The connection goes back to the pool: its cache shrinks to what it was.
                try? db.execute(sql: "PRAGMA cache_size = \(cache)")
                try? db.execute(sql: "PRAGMA shrink_memory")
            }
            var uncommitted: [IngestResult] = []
            var deadline: DispatchTime?
            // The open transaction's vessel-days, when it defers them: marked stale once each before
            // its commit, rather than once per batch (a feed in departure order brings most of a
            // day's vessels in every batch).
            var marks: ReportRefold?
            var auditId: Int64?
            func commit() throws {
                if var refold = marks {
                    try refold.run()
                    uncommitted[uncommitted.count - 1].revisions += refold.written
                    marks = nil
                }
                try db.commit()
                deadline = nil
                state.withLock { $0.committed += uncommitted }
                uncommitted.removeAll()
            }
            do {
                while true {
                    if let deadline {
                        // The transaction's time is up with no batch waiting (a slow input): commit it.
                        if arrived.wait(timeout: deadline) == .timedOut {
                            try commit()
                            continue
                        }
                    } else {
                        arrived.wait()
                    }
                    switch state.withLock({ $0.queue.removeFirst() }) {
                    case .finish:
                        if deadline != nil { try commit() }
                        return
                    case .abandon:
                        if db.isInsideTransaction { try db.rollback() }
                        return
                    case .batch(let batch, let prepared, let commitAfter):
                        if deadline == nil {
                            try db.beginTransaction(.immediate)
                            // An event for the import's start, with its first transaction: every voyage
                            // it stores names it. (The counts follow in a second event at its end.)
                            if auditId == nil {
                                auditId = try PortDailyStore.recordAudit(db, actor: actor, action: "voyages.import.started",
                                                                         subject: nil, detail: "bulk import", at: now)
                            }
                            deadline = .now() + .nanoseconds(Int(policy.transactionTime / .nanoseconds(1)))
                        }
                        if deferringOpenDays, prepared == nil {
                            if marks == nil { marks = ReportRefold(db: db, rules: rules, now: now, deferringOpenDays: true) }
                            // Sorted by the importer: checking the order again here took 7 % of this thread.
                            let outcomes = try PortDailyStore.record(db, batch, rules: rules, now: now, allOrNothing: false,
                                                                     inWriteOrder: true, auditId: auditId, marking: &marks!)
                            uncommitted.append(IngestResult(outcomes: outcomes))
                        } else {
                            uncommitted.append(try PortDailyStore.ingest(db, batch, rules: rules, now: now, allOrNothing: false,
                                                                         prepared: prepared, deferringOpenDays: deferringOpenDays,
                                                                         inWriteOrder: true, auditId: auditId))
                        }
                        slots.signal()
                        if let deadline, commitAfter || DispatchTime.now() >= deadline { try commit() }
                    }
                }
            } catch {
                if db.isInsideTransaction { try? db.rollback() }
                throw error
            }
        }
    }
}
