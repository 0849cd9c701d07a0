import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the WAL back into the database file on a thread and a connection of its own, so that
/// no commit waits for it. (SQLite's automatic checkpoint runs inside the commit that crosses its
/// threshold: that commit, and every write queued behind it, waits while a few megabytes are
/// copied and the database file is synced.)
///
/// A WAL hook on the store's connections, called after each commit with the log's length, wakes
/// the thread once the log holds `logBytes` of pages; the thread runs a passive checkpoint, which
/// never blocks the writer or a reader. Once a checkpoint has copied every frame, the next write
/// starts the log again from its beginning, so the WAL file stays about `logBytes` long. Should the
/// thread fall behind, or have no connection (a read-only file system), the commit that brings the
/// log to `backstopBytes` checkpoints it itself, as SQLite would have.
final class Checkpointer: Sendable {
    private let worker: Worker

    private let policy: CheckpointPolicy

    init(_ policy: CheckpointPolicy) {
        self.policy = policy
        worker = Worker(policy)
    }

    /// Starts the thread, with its connection to the database at `path` (which must exist by
    /// then), unless the policy says no thread; returns once the thread has tried to open it.
    func start(path: String) {
        guard policy.thread else { return }
        worker.state.withLock { $0.started = true }
        let thread = Thread { [worker] in worker.run(path: path) }
        thread.name = "portdaily-checkpoint"
        thread.start()
        worker.opened.wait()
    }

    /// Stops the thread and closes its connection (a connection left open would keep the WAL file
    /// in place after the store is closed). Commits from then on checkpoint at the backstop.
    func close() { worker.stop() }

    deinit { worker.stop() }

    /// Checkpoints run by the thread, and by commits at the backstop, since the store was opened.
    var statistics: CheckpointStatistics { worker.state.withLock { $0.statistics } }

    /// Routes the commits of `db` through the hook. SQLite allows one WAL hook per connection:
    /// this one replaces the automatic checkpoint.
    /// The thresholds count frames of the store's page size, read here (a new store's is the size
    /// it is about to be created with).
    func install(on db: Database) throws {
        let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
        worker.measure(pageSize: pageSize)
        sqlite3_wal_hook(db.sqliteConnection, walHook, Unmanaged.passUnretained(worker).toOpaque())
    }

    final class Worker: Sendable {
        private let policy: CheckpointPolicy
        /// `pages` and `backstop`: the policy's sizes in frames of the store's pages.
        private let frames = Mutex((pages: Int32(0), backstop: Int32(0)))
        let state = Mutex(State())
        private let wake = DispatchSemaphore(value: 0)
        private let finished = DispatchSemaphore(value: 0)
        let opened = DispatchSemaphore(value: 0)

        struct State {
            var started = false
            var running = false
            var requested = false
            /// How far the last checkpoint copied the log (the log may have started again since).
            var backfilled: Int32 = 0
            var stopped = false
            var statistics = CheckpointStatistics()
        }

        init(_ policy: CheckpointPolicy) {
            self.policy = policy
            measure(pageSize: 4096)
        }

        func measure(pageSize: Int) {
            let size = max(512, pageSize)
            frames.withLock {
                $0 = (Int32(clamping: max(1, policy.logBytes / size)), Int32(clamping: max(1, policy.backstopBytes / size)))
            }
        }

        /// After a commit on `db`, whose log now holds `frames` frames.
        func committed(_ db: OpaquePointer?, frames: Int32) {
            let (pages, backstop) = self.frames.withLock { $0 }
            guard frames >= pages else { return }
            let (wakeThread, inline) = state.withLock { state -> (Bool, Bool) in
                let inline = frames >= backstop || !state.running
                let copied = frames >= state.backfilled ? state.backfilled : 0
                guard inline || frames - copied >= pages else { return (false, false) }
                if inline { state.statistics.inline += 1 }
                guard !inline, !state.requested else { return (false, inline) }
                state.requested = true
                return (true, false)
            }
            if inline { sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) }
            if wakeThread { wake.signal() }
        }

        /// A connection to the database, or nil.
        private static func open(_ path: String) -> OpaquePointer? {
            var db: OpaquePointer?
            guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
                  sqlite3_busy_timeout(db, 1000) == SQLITE_OK,
                  // A connection learns that the database is in WAL mode when it first reads it.
                  sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nil, nil, nil) == SQLITE_OK else {
                sqlite3_close_v2(db)
                return nil
            }
            return db
        }

        /// The thread: a checkpoint each time it is woken, with a connection opened at the start
        /// or, when that failed or the last checkpoint did, at the next wake.
        func run(path: String) {
            var db = Self.open(path)
            state.withLock { if !$0.stopped { $0.running = true } }
            opened.signal()
            while state.withLock({ $0.running }) {
                wake.wait()
                guard state.withLock({ state in state.requested = false; return !state.stopped }) else { break }
                if db == nil { db = Self.open(path) }
                var backfilled: Int32 = 0
                let result = db == nil ? SQLITE_CANTOPEN
                    : sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, &backfilled)
                state.withLock { state in
                    switch result {
                    case SQLITE_OK:
                        state.statistics.background += 1
                        state.backfilled = backfilled
                    case SQLITE_BUSY: break  // a commit at the backstop was checkpointing: nothing failed
                    default: state.statistics.failed += 1
                    }
                }
                // A checkpoint can fail for a while (a full disk) or for good on this connection
                // (opened while the file system was read-only): the next attempt opens another.
                if result != SQLITE_OK, result != SQLITE_BUSY {
                    sqlite3_close_v2(db)
                    db = nil
                }
            }
            sqlite3_close_v2(db)
            finished.signal()
        }

        func stop() {
            let join = state.withLock { state in
                defer { state.stopped = true; state.running = false }
                return state.started && !state.stopped
            }
            guard join else { return }
            wake.signal()
            finished.wait()
        }
    }
}

/// When the WAL is copied back into the database file: the checkpoint thread starts once the log
/// holds `logBytes` of pages, a commit does it itself at `backstopBytes`, or at `logBytes` when
/// there is no thread (`thread: false`: SQLite's own behaviour, for tests). In bytes rather than
/// frames: a store's pages are 4 KiB (stores made before session 19) or 8 KiB.
public struct CheckpointPolicy: Sendable {
    public var logBytes: Int
    public var backstopBytes: Int
    public var thread: Bool

    public init(logBytes: Int = 4 << 20, backstopBytes: Int = 16 << 20, thread: Bool = true) {
        self.logBytes = logBytes
        self.backstopBytes = backstopBytes
        self.thread = thread
    }

    /// The daemon's: a checkpoint at 1 MB of log. Each checkpoint ends with an fsync of the
    /// database file, which holds up the commits' WAL syncs on the same disk while it runs: under
    /// P2's load, checkpoints of 1 MB instead of 4 MB took the p99 from 17.1-17.6 ms to 10.8-11.4
    /// ms at the same throughput (16 MB: 21.8-23.8 ms).
    public static let daemon = CheckpointPolicy(logBytes: 1 << 20)

    /// A bulk import's: its commits (one a second, see ``BulkWritePolicy``) each add tens of
    /// megabytes to the log, so at the usual backstop every commit checkpointed the log itself, on
    /// the writing thread the import waits for (1.49 s against 1.31 s for 179,309 voyages of
    /// 10,000 vessels in departure order); the thread copies it instead, up to 256 MB.
    public static let bulkImport = CheckpointPolicy(logBytes: 4 << 20, backstopBytes: 256 << 20)
}

/// How the WAL was checkpointed since the store was opened: by the checkpoint thread, by commits
/// that found the log at the backstop (or no thread), and background attempts that failed (not
/// counting those that found another checkpoint running).
public struct CheckpointStatistics: Sendable, Equatable {
    public var background = 0
    public var inline = 0
    public var failed = 0
}

private let walHook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = {
    context, db, _, frames in
    Unmanaged<Checkpointer.Worker>.fromOpaque(context!).takeUnretainedValue().committed(db, frames: frames)
    return SQLITE_OK
}
