import Foundation
import GRDB
import PortDailyCore

/// Conversions between core values and table rows.
enum Rows {
    static func vessel(_ row: Row) throws -> Vessel {
        let read = StoredRow(row: row, table: "vessel")
        return Vessel(mmsi: try read.required("mmsi", MMSI.init), imo: try read.optional("imo", IMONumber.init),
                      name: try read.required("name", { $0 }), callSign: try read.optional("callSign", { $0 }),
                      type: try read.required("type", { $0 }), operator: try read.required("operator", { $0 }),
                      homeBureau: try read.required("homeBureau", { $0 }),
                      admittedFrom: LocalDate(dayNumber: try read.requiredInt("admittedFrom")),
                      admittedUntil: try read.optionalInt("admittedUntil").map(LocalDate.init(dayNumber:)))
    }

    static func vesselArguments(_ v: Vessel, now: Instant) -> StatementArguments {
        [v.mmsi.rawValue, v.imo?.rawValue, v.name, v.callSign, v.type, v.operator, v.homeBureau,
         v.admittedFrom.dayNumber, v.admittedUntil?.dayNumber, now.millisecondsSinceEpoch]
    }

    static let voyageColumns = """
        operator, movementId, mmsi, job, departedAt, fromArea, fromBerth, arrivedAt, toArea, toBerth,
        servedShipImo, servedShipName, personsAboard, remarks
        """

    /// A voyage from a row whose columns from `offset` on are ``voyageColumns``, read by position
    /// through SQLite's C API (the fold reads a day's voyages back for every voyage submitted to
    /// it, a resend looks up each of its records). A value that cannot be read is an error naming
    /// its column, never a crash or a default.
    static func voyage(_ row: DirectStatement.ResultRow, offset: Int32 = 0) throws -> Voyage {
        let table = "voyage"
        return Voyage(
            movementId: try row.required(offset + 1, table: table, { $0 }), operator: try row.required(offset, table: table, { $0 }),
            mmsi: try row.required(offset + 2, table: table, MMSI.init), job: try row.required(offset + 3, table: table, Job.init(rawValue:)),
            departedAt: Instant(millisecondsSinceEpoch: try row.requiredInt64(offset + 4, table: table)),
            fromArea: try row.required(offset + 5, table: table, { $0 }), fromBerth: row.text(offset + 6),
            arrivedAt: Instant(millisecondsSinceEpoch: try row.requiredInt64(offset + 7, table: table)),
            toArea: try row.required(offset + 8, table: table, { $0 }), toBerth: row.text(offset + 9),
            servedShipImo: try row.optional(offset + 10, table: table, IMONumber.init), servedShipName: row.text(offset + 11),
            personsAboard: row.int64(offset + 12).map(Int.init), remarks: row.text(offset + 13))
    }

    /// Binds the voyage's ``voyageColumns``, in order.
    static func bind(_ v: Voyage, into insert: inout DirectStatement) {
        insert.bind(v.operator)
        insert.bind(v.movementId)
        insert.bind(v.mmsi.rawValue)
        bindMovement(v, into: &insert)
    }

    /// The columns after the key and the vessel, in ``voyageColumns`` order (what a correction sets).
    static func bindMovement(_ v: Voyage, into insert: inout DirectStatement) {
        insert.bind(v.job.rawValue)
        insert.bind(v.departedAt.millisecondsSinceEpoch)
        insert.bind(v.fromArea)
        insert.bind(v.fromBerth)
        insert.bind(v.arrivedAt.millisecondsSinceEpoch)
        insert.bind(v.toArea)
        insert.bind(v.toBerth)
        insert.bind(v.servedShipImo?.rawValue)
        insert.bind(v.servedShipName)
        insert.bind(v.personsAboard)
        insert.bind(v.remarks)
    }
}

/// A row read by column name through GRDB, whose values are checked: a NULL where a value is
/// required, or a value the type refuses, is ``StoreError/unreadableRow(table:column:value:)``.
struct StoredRow {
    let row: Row
    let table: String

    /// The error for a stored value that is absent or not of its column's type.
    private func unreadable(_ column: String, _ stored: DatabaseValue) -> StoreError {
        .unreadableRow(table: table, column: column, value: stored.isNull ? nil : stored.description)
    }

    func required<T>(_ column: String, _ parse: (String) -> T?) throws -> T {
        guard let value = try optional(column, parse) else { throw unreadable(column, .null) }
        return value
    }

    func optional<T>(_ column: String, _ parse: (String) -> T?) throws -> T? {
        let stored: DatabaseValue = row[column]
        if stored.isNull { return nil }
        guard let text = String.fromDatabaseValue(stored), let value = parse(text) else { throw unreadable(column, stored) }
        return value
    }

    /// By position, for the lists that read thousands of rows (`name` only for the error).
    func int64(at index: Int, _ name: String) throws -> Int64 {
        let stored: DatabaseValue = row[index]
        guard case .int64(let number) = stored.storage else { throw unreadable(name, stored) }
        return number
    }

    func text(at index: Int, _ name: String) throws -> String {
        let stored: DatabaseValue = row[index]
        guard case .string(let text) = stored.storage else { throw unreadable(name, stored) }
        return text
    }

    /// A text column's bytes, copied once (no UTF-8 check: the store wrote them); NULL is an error.
    func utf8(at index: Int, _ name: String) throws -> [UInt8] {
        guard let bytes = try row.withUnsafeData(atIndex: index, { data in data.map { $0.withUnsafeBytes { Array($0) } } }) else {
            throw unreadable(name, .null)
        }
        return bytes
    }

    func data(_ column: String) throws -> Data {
        let stored: DatabaseValue = row[column]
        guard case .blob(let data) = stored.storage else { throw unreadable(column, stored) }
        return data
    }

    func requiredInt(_ column: String) throws -> Int {
        guard let value = try optionalInt(column) else { throw unreadable(column, .null) }
        return value
    }

    func optionalInt(_ column: String) throws -> Int? {
        let stored: DatabaseValue = row[column]
        if stored.isNull { return nil }
        guard case .int64(let number) = stored.storage else { throw unreadable(column, stored) }
        return Int(number)
    }
}
