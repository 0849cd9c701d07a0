import CSQLiteSetup
import Foundation
import GRDBSQLite
public import PortDailyCore

/// What `portdaily store restore` did.
public struct RestoreResult: Sendable, Encodable {
    /// The backup now in place, checked.
    public let restored: StoreFileSummary
    /// Where the files it replaced went (never deleted).
    public let replaced: [String]
    /// When the backup was taken (from its name, else its file's time): operators resend what
    /// they submitted since then.
    public let backupTakenAt: Instant?
}

extension StoreBackup {
    /// Puts the backup at `backup` in place of the database at `databasePath`, with the daemon
    /// stopped: checks the backup first, takes the database's exclusive lock (refused while any
    /// process has it open), moves the database and its WAL aside (`NAME.replaced-STAMP`), copies
    /// the backup in (synced, renamed into place), and checks that its bytes are the backup's.
    public static func restore(from backup: String, to databasePath: String, now: Instant) throws -> RestoreResult {
        let summary = try verify(backup)
        let lock = try ExclusiveLock(databasePath)
        defer { lock.release() }
        let fileManager = FileManager.default
        let stamp = BackupDirectory.stamp(now)
        var replaced: [String] = []
        for suffix in ["", "-wal", "-shm"] where fileManager.fileExists(atPath: databasePath + suffix) {
            let aside = "\(databasePath).replaced-\(stamp)\(suffix)"
            try fileManager.moveItem(atPath: databasePath + suffix, toPath: aside)
            replaced.append(aside)
        }
        let incoming = databasePath + ".restoring"
        try? fileManager.removeItem(atPath: incoming)
        try fileManager.copyItem(atPath: backup, toPath: incoming)
        try place(incoming, at: databasePath)
        // The same bytes as the backup checked above: the copy needs no second check.
        guard try digest(databasePath).1 == summary.sha256 else {
            throw BackupError(description: "\(databasePath) differs from \(backup) after the copy")
        }
        var restored = summary
        restored.path = databasePath
        let modified = (try? fileManager.attributesOfItem(atPath: backup))?[.modificationDate] as? Date
        let taken = BackupDirectory.takenAt(fileName: URL(fileURLWithPath: backup).lastPathComponent)
            ?? modified.map { Instant(millisecondsSinceEpoch: Int64($0.timeIntervalSince1970 * 1000)) }
        return RestoreResult(restored: restored, replaced: replaced, backupTakenAt: taken)
    }

    /// The database's exclusive lock, held while its files are replaced: SQLite answers busy while
    /// any connection of any process has the database open (in WAL mode each holds a shared
    /// lock). A file SQLite cannot read as a database is in use by no one. The connection never
    /// writes the file, nor checkpoints its WAL when closed.
    struct ExclusiveLock {
        private let db: OpaquePointer?

        init(_ path: String) throws {
            guard FileManager.default.fileExists(atPath: path) else { db = nil; return }
            var handle: OpaquePointer?
            guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
                sqlite3_close_v2(handle)
                db = nil
                return
            }
            _ = portdaily_sqlite_no_checkpoint_on_close(UnsafeMutableRawPointer(handle))
            let code = sqlite3_exec(handle, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE", nil, nil, nil)
            if code == SQLITE_BUSY || code == SQLITE_LOCKED {
                sqlite3_close_v2(handle)
                throw BackupError(description: "\(path) is in use (is portdailyd running? stop it first: systemctl stop portdaily)")
            }
            db = handle
        }

        func release() {
            guard let db else { return }
            sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
            sqlite3_close_v2(db)
        }
    }
}
