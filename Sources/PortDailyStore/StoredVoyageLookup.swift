import GRDB
import PortDailyCore

/// How a record meets the voyage stored under its key: the lookups and comparisons a resend
/// makes (one record, or a run of ``PortDailyStore/runLength`` by one statement), and the stored
/// row read back when it differs. Used by the writes in `VoyageIngest.swift`.
extension PortDailyStore {
    /// A voyage as stored, with its row's bookkeeping.
    struct StoredVoyage {
        let id: Int64
        let cancelled: Bool
        let date: LocalDate
        let voyage: Voyage
    }

    /// The stored voyage with this key, as a resend finds it (read through SQLite's C API: a
    /// resent file looks up every one of its records).
    static func storedVoyage(_ db: Database, _ key: VoyageKey) throws -> StoredVoyage? {
        var find = try DirectStatement(db, sql: findSQL)
        find.bind(key.operator)
        find.bind(key.movementId)
        var stored: StoredVoyage?
        try find.rows { stored = try storedVoyage($0) }
        return stored
    }

    /// A row of ``storedColumns``.
    static func storedVoyage(_ row: DirectStatement.ResultRow) throws -> StoredVoyage {
        StoredVoyage(id: try row.requiredInt64(0, table: "voyage"), cancelled: row.int64(1) != 0,
                     date: LocalDate(dayNumber: Int(try row.requiredInt64(2, table: "voyage"))), voyage: try Rows.voyage(row, offset: 3))
    }

    /// What a record finds stored under its key.
    enum Found {
        /// A voyage whose every column is the record's (SQLite compared them; nothing was read back).
        case same(cancelled: Bool)
        /// Another voyage, read back (Swift compares it again: texts SQLite finds different, in
        /// bytes, may still be equal as Swift strings, and such a resend stays a duplicate).
        case other(StoredVoyage)
    }

    /// The stored voyage with the record's key, compared with the record by SQLite: a resent file
    /// is mostly duplicates, and reading every stored row back into a voyage to compare it took
    /// a third of a resend's time (perf, 179,340 voyages a tenth corrected).
    /// `statement`: the comparing statement, prepared at the first lookup of a batch (a new voyage
    /// submitted on its own is never looked up).
    static func find(_ db: Database, _ statement: inout DirectStatement?, _ voyage: Voyage) throws -> Found? {
        var find = try statement.take() ?? DirectStatement(db, sql: findComparedSQL)
        defer { statement = find }
        find.bind(voyage.mmsi.rawValue)
        Rows.bindMovement(voyage, into: &find)
        find.bind(voyage.operator)
        find.bind(voyage.movementId)
        var compared: Comparison?
        try find.rows { row in compared = try Comparison(row, offset: 0) }
        return try compared.flatMap { try found(db, $0) }
    }

    /// How a record is looked up: inserted first (a new voyage on its own), looked up first (a
    /// record after a duplicate), or compared already with the rest of its run (nil: nothing
    /// stored under its key).
    enum Lookup {
        case insertFirst, lookUpFirst
        case compared(Comparison?)
    }

    /// The stored row under a record's key, compared with the record by SQLite.
    struct Comparison {
        let id: Int64
        let cancelled: Bool
        let same: Bool

        /// From the columns `id, cancelled, same` from `offset` on.
        init(_ row: DirectStatement.ResultRow, offset: Int32) throws {
            id = try row.requiredInt64(offset, table: "voyage")
            cancelled = row.int64(offset + 1) != 0
            same = row.int64(offset + 2) == 1
        }
    }

    /// What the comparison found: the same voyage, or another read back.
    static func found(_ db: Database, _ compared: Comparison) throws -> Found? {
        if compared.same { return .same(cancelled: compared.cancelled) }
        // Different: read back whole, by its row id. Selecting every column in the comparing query
        // made each duplicate's lookup read them all: the reordered resend took 1.38 s against
        // 1.16 s (medians of 5, alternating).
        var read = try DirectStatement(db, sql: readByIDSQL)
        read.bind(compared.id)
        var stored: StoredVoyage?
        try read.rows { stored = try storedVoyage($0) }
        return stored.map { .other($0) }
    }

    // Built once: statements are looked up by their text, and interpolating it cost an allocation per record.
    /// The columns a stored voyage is read from, with its row's bookkeeping (see `storedVoyage` of a row).
    static let storedColumns = "id, cancelled, reportDate, \(Rows.voyageColumns)"
    static let readByIDSQL = "SELECT \(storedColumns) FROM voyage WHERE id = ?"

    /// The columns a resent record is compared on: the vessel, then ``Rows/bindMovement(_:into:)``'s
    /// order (every column but the key).
    private static let comparedColumns = ["mmsi", "job", "departedAt", "fromArea", "fromBerth", "arrivedAt", "toArea",
                                          "toBerth", "servedShipImo", "servedShipName", "personsAboard", "remarks"]

    /// The comparison's parameters in ``comparedColumns``' order, then the key.
    static let findComparedSQL = """
        SELECT id, cancelled, \(comparedColumns.map { "\($0) IS ?" }.joined(separator: " AND "))
        FROM voyage WHERE operator = ? AND movementId = ?
        """
    static let findSQL = "SELECT \(storedColumns) FROM voyage WHERE operator = ? AND movementId = ?"

    /// A run of ``runLength`` records (each bound as by ``Rows/bind(_:into:)``) compared with the
    /// voyages stored under their keys, as ``findComparedSQL`` compares one: a row
    /// `position, id, cancelled, same` for each record that has one, the run's records first
    /// (one seek in the key index each).
    static let compareRunSQL = """
        WITH run(position, \(Rows.voyageColumns)) AS (VALUES
        \((0..<runLength).map { "(\($0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" }.joined(separator: ",\n"))
        )
        SELECT run.position, voyage.id, voyage.cancelled,
        \(comparedColumns.map { "voyage.\($0) IS run.\($0)" }.joined(separator: " AND "))
        FROM run CROSS JOIN voyage ON voyage.operator = run.operator AND voyage.movementId = run.movementId
        """

    /// Each record of the run compared with the voyage stored under its key (nil: none is): a
    /// resent file is mostly duplicates, and one statement for a run of them replaced a lookup
    /// for each (a tenth corrected 1.94 -> 1.46 s, the reordered resend 1.40 -> 1.22 s, medians
    /// of 5, alternating).
    static func compare(_ compare: inout DirectStatement, _ run: ArraySlice<ValidatedVoyage>) throws -> [Comparison?] {
        for item in run { Rows.bind(item.voyage, into: &compare) }
        var compared = [Comparison?](repeating: nil, count: run.count)
        try compare.rows { row in
            // The positions are the statement's own literals, 0 to runLength - 1.
            compared[Int(try row.requiredInt64(0, table: "voyage"))] = try Comparison(row, offset: 1)
        }
        return compared
    }
}
