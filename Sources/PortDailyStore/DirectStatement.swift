import GRDB
import GRDBSQLite

/// A prepared statement whose arguments are bound straight through SQLite's C API: for the
/// statements a bulk write runs once per row (a voyage, a report revision), where building GRDB's
/// `StatementArguments` cost more than the insert. It runs inside the caller's GRDB transaction
/// and reports failures as GRDB's `DatabaseError`, so the store treats them as any other.
struct DirectStatement {
    private let statement: Statement
    private var index: Int32 = 0
    /// The texts bound so far, end to end (after one byte, so the buffer is never empty), and
    /// where each lies: handed to SQLite without a copy when the statement runs, while the
    /// buffer is pinned. SQLite copying each text instead (`SQLITE_TRANSIENT`) cost an
    /// allocation per column of every row a bulk import writes.
    private var texts: [UInt8] = [0]
    private var textSlots: [(parameter: Int32, start: Int, count: Int)] = []

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
        texts.reserveCapacity(512)
    }

    /// SQLite keeps a pointer to the text, which must stay valid until the statement is reset.
    private static let pinned = unsafeBitCast(0, to: sqlite3_destructor_type.self)

    mutating func bind(_ text: String?) {
        index += 1
        guard var text else { sqlite3_bind_null(statement.sqliteStatement, index); return }
        let start = texts.count
        // One copy of the contiguous bytes (appending the UTF-8 view went byte by byte).
        text.withUTF8 { texts.append(contentsOf: $0) }
        textSlots.append((index, start, texts.count - start))
    }

    /// UTF-8 text that is valid already (written by this program's canonical writers).
    mutating func bind(utf8 text: [UInt8]) {
        index += 1
        let start = texts.count
        texts.append(contentsOf: text)
        textSlots.append((index, start, text.count))
    }

    mutating func bind(_ number: Int64?) {
        index += 1
        guard let number else { sqlite3_bind_null(statement.sqliteStatement, index); return }
        sqlite3_bind_int64(statement.sqliteStatement, index, number)
    }

    mutating func bind(_ number: Int?) { bind(number.map(Int64.init)) }
    mutating func bind(_ flag: Bool) { bind(Int64(flag ? 1 : 0)) }

    /// Runs the statement once with the bound arguments, then clears them: the statement can be
    /// bound and run again (a batch's rows share one, and its buffer).
    mutating func run() throws {
        try rows { _ in }
    }

    /// Runs a query with the bound arguments: `read` is called on each result row, in order.
    /// Then the arguments are cleared.
    mutating func rows(_ read: (ResultRow) throws -> Void) throws {
        defer {
            index = 0
            texts.removeSubrange(1...)
            textSlots.removeAll(keepingCapacity: true)
        }
        let sqlite = statement.sqliteStatement
        try texts.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { chars in
                defer {
                    sqlite3_reset(sqlite)
                    sqlite3_clear_bindings(sqlite)
                }
                let base = chars.baseAddress!  // the buffer holds at least its first byte
                for slot in textSlots {
                    _ = sqlite3_bind_text(sqlite, slot.parameter, base + slot.start, Int32(slot.count), Self.pinned)
                }
                while true {
                    let code = sqlite3_step(sqlite)
                    if code == SQLITE_DONE { return }
                    guard code == SQLITE_ROW else {
                        let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(sqlite)))
                        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
                    }
                    try read(ResultRow(statement: sqlite))
                }
            }
        }
    }

    /// The current result row of a query, read by column position.
    struct ResultRow {
        let statement: OpaquePointer

        /// A column's text; nil for NULL.
        func text(_ column: Int32) -> String? {
            guard let bytes = sqlite3_column_text(statement, column) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))),
                          as: UTF8.self)
        }

        /// A column's integer; nil for NULL.
        func int64(_ column: Int32) -> Int64? {
            sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
        }

        /// A column declared NOT NULL: read without asking its type first (a track's millions of values).
        func int64(notNull column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

        /// The column's name in the query, for errors.
        func name(_ column: Int32) -> String { sqlite3_column_name(statement, column).map { String(cString: $0) } ?? "#\(column)" }

        /// A column's text as `parse` reads it; NULL or a text it refuses is an error naming the column.
        func required<T>(_ column: Int32, table: String, _ parse: (String) -> T?) throws -> T {
            guard let value = try optional(column, table: table, parse) else {
                throw StoreError.unreadableRow(table: table, column: name(column), value: nil)
            }
            return value
        }

        /// The same, where NULL is nil.
        func optional<T>(_ column: Int32, table: String, _ parse: (String) -> T?) throws -> T? {
            guard let text = text(column) else { return nil }
            guard let value = parse(text) else { throw StoreError.unreadableRow(table: table, column: name(column), value: text) }
            return value
        }

        /// An integer column that may not be NULL, nor hold anything but an integer.
        func requiredInt64(_ column: Int32, table: String) throws -> Int64 {
            guard sqlite3_column_type(statement, column) == SQLITE_INTEGER else {
                throw StoreError.unreadableRow(table: table, column: name(column), value: text(column))
            }
            return sqlite3_column_int64(statement, column)
        }
    }
}
