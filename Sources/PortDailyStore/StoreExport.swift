public import Foundation
import GRDB

/// The source of truth of a store as NDJSON, and back: the register, the voyages with their audit
/// trail, every report revision with its sharing, the acknowledgements, the seal state, the stale
/// days and the store's settings (its time zone). Tokens and console users are not exported:
/// credentials are issued again on the new store.
///
/// The first line says what follows (`format`, `version`, the schema's migrations and each
/// table's row count); then one line per row, `{"table": …, "row": {column: value}}`, tables in
/// the order an import inserts them, rows by rowid. An export is one read transaction, so it is
/// the store as of one commit; exporting an imported store gives the same bytes.
public enum StoreExport {
    public static let format = "portdaily-export"
    public static let version = 1
    /// The exported tables, parents first.
    public static let tables = ["storeSetting", "sealState", "vessel", "voyage", "voyageAudit", "reportRevision", "reportShare",
                                "acknowledgement", "staleDay"]

    /// Writes the export of `store` through `write` (a line at a time, each ending in a newline).
    public static func export(_ store: PortDailyStore, _ write: (Data) throws -> Void) throws {
        try store.writer.read { db in
            var counts: [String: Int] = [:]
            for table in tables { counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
            let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            try write(line(["format": format, "version": version, "migrations": migrations, "tables": counts]))
            for table in tables {
                let order = try hasRowid(db, table) ? "rowid" : primaryKey(db, table).joined(separator: ", ")
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY \(order)")
                while let row = try rows.next() {
                    var object: [String: Any] = [:]
                    for (column, value) in row {
                        switch value.storage {
                        case .null: object[column] = NSNull()
                        case .int64(let number): object[column] = number
                        case .double(let number): object[column] = number
                        case .string(let text): object[column] = text
                        case .blob(let data): object[column] = ["base64": data.base64EncodedString()]
                        }
                    }
                    try write(line(["table": table, "row": object]))
                }
            }
        }
    }

    /// What an import stored, per table.
    public struct ImportSummary: Sendable, Encodable, Equatable {
        public var tables: [String: Int]
    }

    /// A line that cannot be imported, by its number.
    public struct ImportError: Error, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Imports an export (its lines, read incrementally by `lines`) into `store`, which must hold
    /// no vessel, voyage or report yet: all in one transaction, or nothing. The counts must match
    /// the export's first line.
    public static func importExport(into store: PortDailyStore, lines: some Sequence<(number: Int, text: Substring)>) throws -> ImportSummary {
        try store.writer.write { db in
            for table in ["vessel", "voyage", "reportRevision", "acknowledgement"] {
                guard try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") == 0 else {
                    throw ImportError(line: 0, message: "the store is not empty (its \(table) table has rows): import only into a new store")
                }
            }
            var expected: [String: Int]?
            var stored: [String: Int] = [:]
            var columnsOf: [String: Set<String>] = [:]
            for (number, text) in lines where !text.allSatisfy(\.isWhitespace) {
                guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                    throw ImportError(line: number, message: "not a JSON object")
                }
                guard expected != nil else {
                    guard object["format"] as? String == format, object["version"] as? Int == version,
                          let counts = object["tables"] as? [String: Int] else {
                        throw ImportError(line: number, message: "not a \(format) version \(version) header")
                    }
                    let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                    guard let theirs = object["migrations"] as? [String], Set(theirs).isSubset(of: migrations) else {
                        throw ImportError(line: number, message: "the export comes from a newer schema than this program's")
                    }
                    expected = counts
                    continue
                }
                guard let table = object["table"] as? String, tables.contains(table), let row = object["row"] as? [String: Any] else {
                    throw ImportError(line: number, message: "table: expected one of \(tables.joined(separator: ", ")) with a row")
                }
                let known = try columnsOf[table] ?? Set(Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table])
                    .map { $0[0] as String })
                columnsOf[table] = known
                let columns = row.keys.sorted()
                if let unknown = columns.first(where: { !known.contains($0) }) {
                    throw ImportError(line: number, message: "\(table).\(unknown): no such column")
                }
                var values: [(any DatabaseValueConvertible)?] = []
                for column in columns {
                    switch row[column] {
                    case is NSNull, nil: values.append(nil)
                    case let blob as [String: Any]:
                        guard let text = blob["base64"] as? String, let data = Data(base64Encoded: text) else {
                            throw ImportError(line: number, message: "\(table).\(column): expected {\"base64\": …}")
                        }
                        values.append(data)
                    case let text as String: values.append(text)
                    case let number as NSNumber:
                        let type = String(cString: number.objCType)
                        values.append(type == "d" || type == "f" ? number.doubleValue as any DatabaseValueConvertible : number.int64Value)
                    default: throw ImportError(line: number, message: "\(table).\(column): unexpected value")
                    }
                }
                // The singletons and settings a new store made already are replaced.
                let verb = table == "sealState" || table == "storeSetting" ? "INSERT OR REPLACE" : "INSERT"
                let sql = "\(verb) INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
                do { try db.execute(sql: sql, arguments: StatementArguments(values)) } catch let error as DatabaseError {
                    throw ImportError(line: number, message: "\(table): \(error.message ?? "\(error.resultCode)")")
                }
                stored[table, default: 0] += 1
            }
            guard let expected else { throw ImportError(line: 1, message: "empty: no header") }
            for table in tables where (stored[table] ?? 0) != (expected[table] ?? 0) {
                throw ImportError(line: 0, message: "\(table): \(stored[table] ?? 0) rows, the export's header says \(expected[table] ?? 0)")
            }
            return ImportSummary(tables: stored)
        }
    }

    private static func line(_ object: [String: Any]) throws -> Data {
        var data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        data.append(UInt8(ascii: "\n"))
        return data
    }

    private static func hasRowid(_ db: Database, _ table: String) throws -> Bool {
        let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = ?", arguments: [table]) ?? ""
        return !sql.uppercased().contains("WITHOUT ROWID")
    }

    private static func primaryKey(_ db: Database, _ table: String) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", arguments: [table]).map { $0[0] }
    }
}
