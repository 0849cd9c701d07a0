import CSQLiteSetup
import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The open database, which may be replaced: a store that could only be opened read-only (its
/// file or file system refuses writes) is opened again for writing once that becomes possible.
/// The store and its group commit share one.
///
/// A damaged database (see ``StoreDamage``) is never replaced nor written again: the daemon keeps
/// serving what can still be read, from the connection it has or, when the damage was found at
/// opening, from a read-only one (or none, when the file cannot be opened at all).
final class StoreConnection: Sendable {
    let path: String
    let checkpointer: Checkpointer
    private let state: Mutex<(writer: any DatabaseWriter, readOnly: Bool, damage: StoreDamage?)>

    /// Opens the database for writing, migrating it. With `allowReadOnly` (the daemon), a database
    /// that cannot be written for now is opened read-only instead, if its schema is up to date,
    /// and a damaged one is opened as well as it can be, damaged.
    init(path: String, allowReadOnly: Bool, checkpointer: Checkpointer) throws {
        self.path = path
        self.checkpointer = checkpointer
        // Before any connection opens it: the first would replay the log and drop what follows a bad frame.
        if allowReadOnly, let wal = WriteAheadLog.damage(databasePath: path) {
            state = Mutex(try Self.openDamaged(path, checkpointer, StoreDamage(reason: wal, foundBy: "opening the store")))
            return
        }
        do {
            state = Mutex((try Self.openWritable(path, checkpointer), false, nil))
        } catch where allowReadOnly && PortDailyStore.isUnavailable(error) {
            state = Mutex((try Self.openReadOnly(path, checkpointer, cause: error), true, nil))
        } catch where allowReadOnly && PortDailyStore.isDamage(error) {
            let damage = StoreDamage(reason: PortDailyStore.damageReason(error), foundBy: "opening the store")
            state = Mutex(try Self.openDamaged(path, checkpointer, damage))
            return
        }
        checkpointer.start(path: path)
    }

    var writer: any DatabaseWriter { state.withLock { $0.writer } }
    var isReadOnly: Bool { state.withLock { $0.readOnly } }
    var damage: StoreDamage? { state.withLock { $0.damage } }

    /// If the database was opened read-only, tries to open it for writing; whether it can write now.
    func reopenIfWritable() -> Bool {
        state.withLock { state in
            guard state.readOnly else { return true }
            guard state.damage == nil, let pool = try? Self.openWritable(path, checkpointer) else { return false }
            state = (pool, false, nil)
            return true
        }
    }

    /// Records the damage; whether it was the first. See ``PortDailyStore/markDamaged(_:)``.
    func markDamaged(_ damage: StoreDamage) -> Bool {
        let (first, writer, readOnly) = state.withLock { state in
            defer { if state.damage == nil { state.damage = damage } }
            return (state.damage == nil, state.writer, state.readOnly)
        }
        guard first else { return false }
        checkpointer.close()
        if !readOnly { Self.freeze(writer) }
        return true
    }

    /// Stops the writing connection from changing the file from now on: `query_only` refuses every
    /// change, and closing it copies nothing from the WAL into the file. (`query_only` does not
    /// stop a checkpoint: group commit and ``PortDailyStore/close()`` skip theirs when damaged.)
    private static func freeze(_ writer: any DatabaseWriter) {
        try? writer.writeWithoutTransaction { db in
            _ = portdaily_sqlite_no_checkpoint_on_close(UnsafeMutableRawPointer(db.sqliteConnection))
            try db.execute(sql: "PRAGMA query_only = ON")
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

    private static func readOnlyPool(_ path: String, _ checkpointer: Checkpointer) throws -> DatabasePool {
        var configuration = PortDailyStore.configuration(checkpointer)
        configuration.readonly = true
        return try DatabasePool(path: path, configuration: configuration)
    }

    private static func openReadOnly(_ path: String, _ checkpointer: Checkpointer, cause: any Error) throws -> DatabasePool {
        let pool = try readOnlyPool(path, checkpointer)
        guard try pool.read({ try Schema.migrator.hasCompletedMigrations($0) }) else {
            throw ReadOnlyStoreError(path: path, cause: "\(cause)")
        }
        return pool
    }

    /// A damaged database, read-only; or, when it cannot even be opened so, an empty database in
    /// memory that every read fails on (the daemon still answers, and says the store is damaged).
    private static func openDamaged(_ path: String, _ checkpointer: Checkpointer,
                                    _ damage: StoreDamage) throws -> (writer: any DatabaseWriter, readOnly: Bool, damage: StoreDamage?) {
        if let pool = try? readOnlyPool(path, checkpointer) { return (pool, true, damage) }
        let placeholder = try DatabaseQueue()
        try placeholder.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = ON") }
        return (placeholder, true, damage)
    }
}

/// A read-only database whose schema is older than this program's: it can serve nothing.
public struct ReadOnlyStoreError: Error, CustomStringConvertible {
    public let path: String
    public let cause: String
    public var description: String { "\(path) cannot be written (\(cause)) and its schema needs migrating" }
}
