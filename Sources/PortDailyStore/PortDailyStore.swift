public import GRDB
public import PortDailyCore
import CSQLiteSetup
import Foundation
import Synchronization

/// The durable store of the register, the voyages and every revision of every report: one SQLite
/// database in WAL mode with `synchronous=FULL`, so a write is on disk before it is acknowledged.
///
/// Every write is one intent-named transaction. The rules it applies (reference data, time zone,
/// sealing grace) are passed in with each call, so a configuration reload needs no new store.
public final class PortDailyStore: Sendable {
    let connection: StoreConnection
    let groupCommit: GroupCommit
    let registerCache: VersionedCache<[MMSI: Vessel]>
    let tokenCache: VersionedCache<[Data: LiveToken]>
    let tokenUse = TokenUseThrottle()
    let versionProbe: VersionProbe
    private let closed = Mutex(false)

    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    ///
    /// With `allowReadOnly` (the daemon), a database that cannot be written (a read-only file or
    /// file system, a full disk) is opened read-only: reads are served, writes fail as
    /// ``isUnavailable(_:)`` errors until ``reopenIfWritable()`` succeeds.
    ///
    /// `versionProbe: false` reads the register and token versions through the pool, as the
    /// store does when its probe connection cannot be opened (tests use it to cover that path).
    ///
    /// `checkpoints` says when the WAL is copied back into the database file (tests shorten it).
    public init(path: String, allowReadOnly: Bool = false, versionProbe: Bool = true,
                checkpoints: CheckpointPolicy = CheckpointPolicy()) throws {
        _ = Self.processSetUp
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        connection = try StoreConnection(path: path, allowReadOnly: allowReadOnly, checkpointer: Checkpointer(checkpoints))
        registerCache = VersionedCache()
        tokenCache = VersionedCache()
        self.versionProbe = VersionProbe(path: versionProbe ? path : nil)
        groupCommit = GroupCommit(connection: connection, registerCache: registerCache)
    }

    /// SQLite's process-wide settings, made once before the first store opens a connection: no
    /// memory statistics (nothing reads them, and keeping them took a process-wide lock on each
    /// of SQLite's allocations, a few percent of a bulk import's writing thread).
    private static let processSetUp: Int32 = portdaily_sqlite_disable_memory_statistics()

    /// The probe's read-only connection and the checkpoint thread's are closed before the pool's:
    /// the last connection to close checkpoints the WAL into the database file and removes it,
    /// which a read-only one cannot, and a connection that outlives the store keeps the WAL file.
    deinit { closeSideConnections() }

    /// Closes the database: pending writes are on disk, later calls fail. The WAL is first
    /// checkpointed into the database file and emptied (when nothing else reads), so the file
    /// alone holds every commit: the pool's read-only connections may close after its writer,
    /// and the last connection to close does that only if it can write.
    public func close() throws {
        // A closed pool must not be used again (SQLite would be handed a closed connection).
        guard !closed.withLock({ closed in defer { closed = true }; return closed }) else { return }
        closeSideConnections()
        guard let pool = writer as? DatabasePool else { return }
        // A damaged store's file is left as it is, its WAL too (see ``markDamaged(_:)``).
        if damage == nil { _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) } }
        try pool.close()
    }

    func closeSideConnections() {
        versionProbe.close()
        connection.checkpointer.close()
    }

    /// The database file's path.
    public var path: String { connection.path }

    /// The database: the one connection pool every read and write goes through.
    public var writer: any DatabaseWriter { connection.writer }

    /// Whether the store was opened read-only because it could not be written.
    public var isReadOnly: Bool { connection.isReadOnly }

    /// If the store is read-only, tries to open it for writing again; whether it can write now.
    public func reopenIfWritable() -> Bool { connection.reopenIfWritable() }

    /// What group commit has done since the store was opened.
    public var groupCommitStatistics: GroupCommitStatistics { groupCommit.statistics }

    /// What happened to the WAL since the store was opened (see ``Checkpointer``).
    public var checkpointStatistics: CheckpointStatistics { connection.checkpointer.statistics }

    /// The page size a new store is created with, in bytes.
    public static let pageSize = 8192

    static func configuration(_ checkpointer: Checkpointer) -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(10)
        // GRDB's default (.userInitiated) makes libdispatch raise thread priorities, which a
        // hardened unit (no CAP_SYS_NICE) refuses with an error on stderr. A daemon needs none.
        config.qos = .default
        config.prepareDatabase { db in
            // A new store's pages are 8 KiB (SQLite's default is 4): a bulk import of a month of
            // 10,000 vessels writes 7-13 % faster, its index leaves half as many. 16 KiB was a
            // little faster still but each group commit of the live ingest syncs whole pages, and
            // P2 lost ~10 % with p99 spikes past 100 ms (bench/RESULTS.md, session 19). Only a new,
            // empty file takes it: an existing store keeps its page size (WAL mode fixes it).
            try db.execute(sql: "PRAGMA page_size = \(Self.pageSize)")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Temporary tables and sorts stay in memory instead of spilling to a temporary file.
            // (No mmap: mapped pages count in the daemon's RSS, 115 MB instead of 43 MB after a
            // start on a 96 MB store, for ~10 % on a report list.)
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            try checkpointer.install(on: db)
        }
        return config
    }

    /// The register and token versions now (see ``VersionProbe``).
    public func versions() throws -> StoreVersions {
        try versionProbe.read() ?? writer.unsafeRead(StoreVersions.current)
    }

    /// Whether the database answers a query: the liveness check of the daemon's watchdog.
    public func ping() throws {
        _ = try writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}

/// The rules a write applies, from the configuration in force.
public struct StoreRules: Sendable, Equatable {
    public let setup: PortSetup
    public let calendar: ReportCalendar
    public var fold: ReportFold { ReportFold(setup: setup) }

    public init(setup: PortSetup, calendar: ReportCalendar) {
        self.setup = setup
        self.calendar = calendar
    }
}

/// A failure the caller can explain to a user.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case voyageNotFound(VoyageKey)
    case voyageAlreadyCancelled(VoyageKey)
    /// A stored row whose column holds NULL where a value is required, or a value its type refuses.
    case unreadableRow(table: String, column: String, value: String?)

    public var description: String {
        switch self {
        case .unreadableRow(let table, let column, let value):
            let shown = value.map { "'\($0.prefix(40))'" } ?? "NULL"
            return "a stored \(table) row cannot be read: its column \(column) holds \(shown)"
        case .voyageNotFound(let key): return "no voyage \(key.movementId) of operator \(key.operator)"
        case .voyageAlreadyCancelled(let key): return "voyage \(key.movementId) of operator \(key.operator) is already cancelled"
        }
    }
}

extension PortDailyStore {
    /// Whether an error means the store cannot write for now (disk full, read-only file, I/O
    /// failure, lock contention): the request may be retried later, nothing was acknowledged.
    public static func isUnavailable(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        switch error.resultCode {
        case .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CANTOPEN, .SQLITE_PERM:
            return true
        default:
            return false
        }
    }
}
