public import GRDB
import Foundation

/// What made the store damaged: SQLite found its file malformed (from any query, the background
/// check, or at opening), or the WAL holds committed transactions after a damaged frame.
public struct StoreDamage: Sendable, Equatable, CustomStringConvertible {
    /// What was found, as SQLite or the check said it.
    public let reason: String
    /// Where it was found: "a query", "the background check", "opening the store".
    public let foundBy: String

    public init(reason: String, foundBy: String) {
        self.reason = reason
        self.foundBy = foundBy
    }

    public var description: String { "\(reason) (found by \(foundBy))" }
}

extension PortDailyStore {
    /// Whether an error says the database file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB), rather
    /// than that it cannot be written for now (see ``isUnavailable(_:)``).
    public static func isDamage(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    /// Whether `error` came from SQLite.
    public static func isDatabaseError(_ error: any Error) -> Bool { error is DatabaseError }

    /// The damage found, or nil while the store is sound as far as anyone looked.
    public var damage: StoreDamage? { connection.damage }

    /// Marks the store damaged; whether it was not before. From then on nothing is written to the
    /// database file: the writing connection refuses every change (`query_only`), the checkpoint
    /// thread stops, and closing copies nothing from the WAL into the file. Reads go on.
    @discardableResult
    public func markDamaged(_ damage: StoreDamage) -> Bool { connection.markDamaged(damage) }

    public static func damageReason(_ error: any Error) -> String {
        guard let error = error as? DatabaseError else { return "\(error)" }
        return error.message ?? "\(error.resultCode)"
    }
}

/// One thing an integrity check found: the table or index concerned (when SQLite's message names
/// a tree by its root page), and the message.
public struct IntegrityFinding: Sendable, Equatable, CustomStringConvertible {
    public let object: String?
    public let message: String

    public var description: String { object.map { "\($0): \(message)" } ?? message }
}

/// SQLite's own checks, named by what they look at. `quick_check` reads every page of the b-trees
/// it is given and checks their structure (O(N)); `integrity_check` also checks that every index
/// matches its table (O(N log N)).
public enum IntegrityCheck {
    /// The tables of the database, in the order a check in slices takes them.
    public static func tables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    }

    /// `quick_check` of one table and its indexes (one slice of the background check), or of the
    /// whole database with `table: nil`; `full` runs `integrity_check` instead.
    public static func run(_ db: Database, table: String? = nil, full: Bool = false) throws -> [IntegrityFinding] {
        let pragma = full ? "integrity_check" : "quick_check"
        let argument = table.map { "(\(quoted($0)))" } ?? "(1000)"
        let lines: [String]
        do { lines = try String.fetchAll(db, sql: "PRAGMA \(pragma)\(argument)") } catch where PortDailyStore.isDamage(error) {
            // The check stops with an error, instead of a report, where it scans a damaged table's
            // rows (for its NOT NULL and CHECK constraints): each table alone says which.
            let reason = PortDailyStore.damageReason(error)
            if let table {
                // integrity_check stops too where it compares a damaged index with its table;
                // quick_check of the same table names the tree.
                if full, let quick = try? run(db, table: table, full: false), !quick.isEmpty { return quick }
                return [IntegrityFinding(object: table, message: reason)]
            }
            var findings: [IntegrityFinding] = []
            for table in (try? tables(db)) ?? [] { findings += try run(db, table: table, full: full) }
            return findings.isEmpty ? [IntegrityFinding(object: nil, message: reason)] : findings
        }
        guard lines != ["ok"] else { return [] }
        let roots = (try? rootPages(db)) ?? [:]
        let messages = lines.flatMap { $0.split(separator: "\n").map(String.init) }.filter { !$0.hasPrefix("*** in database") }
        // One report a row: each distinct one is looked into once.
        var falseReports: Set<String> = []
        for message in Set(messages) where try isFalseNullReport(message, db) { falseReports.insert(message) }
        return messages.filter { !falseReports.contains($0) }
            .map { IntegrityFinding(object: object(named: $0, roots: roots), message: $0) }
    }

    /// SQLite 3.40 (Debian 12's) reports "NULL value in reportShare.revisionId" for the rows of
    /// that WITHOUT ROWID table in every store, sound ones too, where there is no NULL. Such a
    /// report stands only if the column does hold a NULL.
    private static func isFalseNullReport(_ message: String, _ db: Database) throws -> Bool {
        guard message.hasPrefix("NULL value in ") else { return false }
        let parts = message.dropFirst("NULL value in ".count).split(separator: ".")
        guard parts.count == 2, let table = try tables(db).first(where: { $0 == parts[0] }) else { return false }
        let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map { $0[0] as String }
        guard let column = columns.first(where: { $0 == parts[1] }) else { return false }
        let nulls = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(quotedIdentifier(table)) WHERE \(quotedIdentifier(column)) IS NULL")
        return nulls == 0
    }

    private static func quotedIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Checks the database file at `path` without a store: the WAL first, then SQLite's check on a
    /// read-only connection (which never writes the file). What `portdaily store check` runs.
    public static func check(path: String, full: Bool) -> [IntegrityFinding] {
        var findings: [IntegrityFinding] = []
        if let wal = WriteAheadLog.damage(databasePath: path) { findings.append(IntegrityFinding(object: "write-ahead log", message: wal)) }
        do {
            let queue = try StoreBackup.readOnlyQueue(path)
            defer { try? queue.close() }
            // Outside a transaction: after SQLite meets a damaged page, a COMMIT fails as well.
            findings += try queue.inDatabase { db in try run(db, full: full) }
        } catch {
            findings.append(IntegrityFinding(object: "database file", message: PortDailyStore.damageReason(error)))
        }
        return findings
    }

    private static func quoted(_ name: String) -> String { "'" + name.replacingOccurrences(of: "'", with: "''") + "'" }

    /// The tables and indexes by their root page (SQLite's messages say "Tree N" for the b-tree
    /// rooted at page N).
    private static func rootPages(_ db: Database) throws -> [Int: String] {
        var roots: [Int: String] = [1: "sqlite_schema"]
        for row in try Row.fetchAll(db, sql: "SELECT name, rootpage FROM sqlite_schema WHERE rootpage > 0") {
            if let name = row["name"] as String?, let page = row["rootpage"] as Int? { roots[page] = name }
        }
        return roots
    }

    /// The object of "Tree N …", or of "Page N: …" when N is a root page.
    private static func object(named message: String, roots: [Int: String]) -> String? {
        for marker in ["Tree ", "Page "] {
            guard let range = message.range(of: marker) else { continue }
            let digits = message[range.upperBound...].prefix { $0.isNumber }
            if let name = Int(digits).flatMap({ roots[$0] }) { return name }
        }
        return nil
    }
}

/// One pass of the background check over the database file at a path, one table (with its
/// indexes) at a time, on a read-only connection of its own, run on the caller's thread (GRDB's
/// synchronous access runs its work there): the daemon runs it on a thread of the lowest priority.
public final class IntegrityPass: Sendable {
    private let queue: DatabaseQueue

    public init(path: String) throws { queue = try StoreBackup.readOnlyQueue(path) }

    /// Checks table after table until one has findings (returned) or `isStopped` says so; waits
    /// `pauseSeconds` between tables. `checked` is told after each table. Throws what stopped it otherwise.
    public func run(pauseSeconds: Double, isStopped: () -> Bool, checked: () -> Void) throws -> [IntegrityFinding] {
        // Outside a transaction: after SQLite meets a damaged page, a COMMIT fails as well.
        let tables = try queue.inDatabase(IntegrityCheck.tables)
        for table in tables where !isStopped() {
            let findings = try queue.inDatabase { db in try IntegrityCheck.run(db, table: table) }
            checked()
            if !findings.isEmpty { return findings }
            // The pause, in steps short enough for a stop to be heard.
            var paused = 0.0
            while paused < pauseSeconds, !isStopped() {
                Thread.sleep(forTimeInterval: min(0.1, pauseSeconds - paused))
                paused += 0.1
            }
        }
        return []
    }

    /// Stops the table being checked now (the pass then throws SQLITE_INTERRUPT).
    public func interrupt() { queue.interrupt() }

    deinit { try? queue.close() }
}
