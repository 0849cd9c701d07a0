import GRDB
import GRDBSQLite
import Synchronization

/// The versions of the data every request depends on: the register and the API tokens, each
/// bumped by triggers on any change, from any process. A request reads them once
/// (``PortDailyStore/versions()``) and looks up both at the same versions.
public struct StoreVersions: Equatable, Sendable {
    let register: Int64
    let tokens: Int64
    /// Changes with every change of the register (a reader of it knows when to read it again).
    public var registerVersion: Int64 { register }

    static let sql = "SELECT (SELECT version FROM registerState), (SELECT version FROM tokenState)"

    /// The versions a transaction sees.
    static func current(_ db: Database) throws -> StoreVersions {
        let row = try Row.fetchOne(db.cachedStatement(sql: sql))
        return StoreVersions(register: row?[0] ?? 0, tokens: row?[1] ?? 0)
    }
}

/// Reads ``StoreVersions`` on a read-only connection of its own, through SQLite's C API: every
/// request asks, and a read through the connection pool cost several times the query itself.
/// The statement is reset after each read, so the connection never holds a snapshot open. If the
/// connection cannot be opened or fails, the versions are read through the pool instead, and the
/// probe tries another connection a second later.
final class VersionProbe: Sendable {
    private let state: Mutex<State>

    private struct State {
        var path: String?
        var connection: ProbeConnection?
        var retryAt: ContinuousClock.Instant?
    }

    /// A probe on the database at `path`; none (every read falls back) when `path` is nil.
    init(path: String?) {
        state = Mutex(State(path: path, connection: path.flatMap(ProbeConnection.init(path:)),
                            retryAt: ContinuousClock.now.advanced(by: .seconds(1))))
    }

    /// Closes the connection for good; the versions are read through the pool from then on. A
    /// connection left open would keep the WAL file in place after the store is closed.
    func close() {
        state.withLock { $0 = State() }
    }

    /// The current versions, or nil when the probe cannot read them (the caller reads them otherwise).
    func read() -> StoreVersions? {
        state.withLock { state in
            if state.connection == nil, let path = state.path, let retryAt = state.retryAt, ContinuousClock.now >= retryAt {
                state.connection = ProbeConnection(path: path)
                state.retryAt = ContinuousClock.now.advanced(by: .seconds(1))
            }
            guard let connection = state.connection else { return nil }
            if let versions = connection.read() { return versions }
            state.connection = nil
            state.retryAt = ContinuousClock.now.advanced(by: .seconds(1))
            return nil
        }
    }
}

/// One read-only SQLite connection and its prepared statement.
private final class ProbeConnection {
    private var db: OpaquePointer?
    private var statement: OpaquePointer?

    init?(path: String) {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
              sqlite3_busy_timeout(db, 1000) == SQLITE_OK,
              sqlite3_prepare_v2(db, StoreVersions.sql, -1, &statement, nil) == SQLITE_OK else {
            sqlite3_finalize(statement)
            sqlite3_close_v2(db)
            return nil
        }
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close_v2(db)
    }

    func read() -> StoreVersions? {
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
        return StoreVersions(register: sqlite3_column_int64(statement, 0), tokens: sqlite3_column_int64(statement, 1))
    }
}
