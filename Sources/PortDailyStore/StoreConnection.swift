import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The open database, which may be replaced: a store that could only be opened read-only (its
/// file or file system refuses writes) is opened again for writing once that becomes possible.
/// The store and its group commit share one.
final class StoreConnection: Sendable {
    let path: String
    let checkpointer: Checkpointer
    private let state: Mutex<(writer: any DatabaseWriter, readOnly: Bool)>

    /// Opens the database for writing, migrating it. With `allowReadOnly`, a database that cannot
    /// be written for now is opened read-only instead, if its schema is up to date.
    init(path: String, allowReadOnly: Bool, checkpointer: Checkpointer) throws {
        self.path = path
        self.checkpointer = checkpointer
        do {
            state = Mutex((try Self.openWritable(path, checkpointer), false))
        } catch where allowReadOnly && PortDailyStore.isUnavailable(error) {
            state = Mutex((try Self.openReadOnly(path, checkpointer, cause: error), true))
        }
        checkpointer.start(path: path)
    }

    var writer: any DatabaseWriter { state.withLock { $0.writer } }
    var isReadOnly: Bool { state.withLock { $0.readOnly } }

    /// If the database was opened read-only, tries to open it for writing; whether it can write now.
    func reopenIfWritable() -> Bool {
        state.withLock { state in
            guard state.readOnly else { return true }
            guard let pool = try? Self.openWritable(path, checkpointer) else { return false }
            state = (pool, false)
            return true
        }
    }

    private static func openWritable(_ path: String, _ checkpointer: Checkpointer) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: PortDailyStore.configuration(checkpointer))
        // SQLite opens a file it may not write read-only without an error; say so now rather than
        // at the first write.
        try pool.writeWithoutTransaction { db in
            if sqlite3_db_readonly(db.sqliteConnection, "main") == 1 {
                throw DatabaseError(resultCode: .SQLITE_READONLY, message: "the database file cannot be written")
            }
        }
        try Schema.migrator.migrate(pool)
        return pool
    }

    private static func openReadOnly(_ path: String, _ checkpointer: Checkpointer, cause: any Error) throws -> DatabasePool {
        var configuration = PortDailyStore.configuration(checkpointer)
        configuration.readonly = true
        let pool = try DatabasePool(path: path, configuration: configuration)
        guard try pool.read({ try Schema.migrator.hasCompletedMigrations($0) }) else {
            throw ReadOnlyStoreError(path: path, cause: "\(cause)")
        }
        return pool
    }
}

/// A read-only database whose schema is older than this program's: it can serve nothing.
public struct ReadOnlyStoreError: Error, CustomStringConvertible {
    public let path: String
    public let cause: String
    public var description: String { "\(path) cannot be written (\(cause)) and its schema needs migrating" }
}
