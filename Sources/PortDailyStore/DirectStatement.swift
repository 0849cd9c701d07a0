import GRDB
import GRDBSQLite

/// A prepared statement whose arguments are bound straight through SQLite's C API: for the
/// statements a bulk write runs once per row (a voyage, a report revision), where building GRDB's
/// `StatementArguments` cost more than the insert. It runs inside the caller's GRDB transaction
/// and reports failures as GRDB's `DatabaseError`, so the store treats them as any other.
struct DirectStatement {
    private let statement: Statement
    private var index: Int32 = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
    }

    /// SQLite copies the text: nothing has to outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func bind(_ text: String?) {
        index += 1
        guard var text else { sqlite3_bind_null(statement.sqliteStatement, index); return }
        let (sqlite, position) = (statement.sqliteStatement, index)
        text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    _ = sqlite3_bind_text(sqlite, position, base, Int32(chars.count), Self.transient)
                } else {
                    _ = sqlite3_bind_text(sqlite, position, "", 0, Self.transient)
                }
            }
        }
    }

    /// UTF-8 text that is valid already (written by this program's canonical writers).
    mutating func bind(utf8 text: [UInt8]) {
        index += 1
        let (sqlite, position) = (statement.sqliteStatement, index)
        text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    _ = sqlite3_bind_text(sqlite, position, base, Int32(chars.count), Self.transient)
                } else {
                    _ = sqlite3_bind_text(sqlite, position, "", 0, Self.transient)
                }
            }
        }
    }

    mutating func bind(_ number: Int64?) {
        index += 1
        guard let number else { sqlite3_bind_null(statement.sqliteStatement, index); return }
        sqlite3_bind_int64(statement.sqliteStatement, index, number)
    }

    mutating func bind(_ number: Int?) { bind(number.map(Int64.init)) }
    mutating func bind(_ flag: Bool) { bind(Int64(flag ? 1 : 0)) }

    /// Runs the statement once with the bound arguments, then clears them.
    func run() throws {
        try rows { _ in }
    }

    /// Runs a query with the bound arguments: `read` is called on each result row, in order.
    /// Then the arguments are cleared.
    func rows(_ read: (ResultRow) throws -> Void) throws {
        let sqlite = statement.sqliteStatement
        defer {
            sqlite3_reset(sqlite)
            sqlite3_clear_bindings(sqlite)
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
    }
}
