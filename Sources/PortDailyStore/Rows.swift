import Foundation
import GRDB
import PortDailyCore

/// Conversions between core values and table rows.
enum Rows {
    static func vessel(_ row: Row) -> Vessel {
        Vessel(mmsi: MMSI(row["mmsi"] as String)!, imo: (row["imo"] as String?).flatMap { IMONumber($0) },
               name: row["name"], callSign: row["callSign"], type: row["type"], operator: row["operator"],
               homeBureau: row["homeBureau"], admittedFrom: LocalDate(dayNumber: row["admittedFrom"]),
               admittedUntil: (row["admittedUntil"] as Int?).map(LocalDate.init(dayNumber:)))
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
    /// it, a resend looks up each of its records).
    static func voyage(_ row: DirectStatement.ResultRow, offset: Int32 = 0) -> Voyage {
        Voyage(movementId: row.text(offset + 1) ?? "", operator: row.text(offset) ?? "",
               mmsi: MMSI(row.text(offset + 2) ?? "")!, job: Job(rawValue: row.text(offset + 3) ?? "") ?? .other,
               departedAt: Instant(millisecondsSinceEpoch: row.int64(offset + 4) ?? 0), fromArea: row.text(offset + 5) ?? "",
               fromBerth: row.text(offset + 6), arrivedAt: Instant(millisecondsSinceEpoch: row.int64(offset + 7) ?? 0),
               toArea: row.text(offset + 8) ?? "", toBerth: row.text(offset + 9),
               servedShipImo: row.text(offset + 10).flatMap { IMONumber($0) }, servedShipName: row.text(offset + 11),
               personsAboard: row.int64(offset + 12).map(Int.init), remarks: row.text(offset + 13))
    }

    /// Binds the voyage's ``voyageColumns``, in order.
    static func bind(_ v: Voyage, into insert: inout DirectStatement) {
        insert.bind(v.operator)
        insert.bind(v.movementId)
        insert.bind(v.mmsi.rawValue)
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

/// The one JSON encoding of stored documents: sorted keys, so equal content gives equal bytes.
enum StoredJSON {
    /// A report's content, with the fast canonical encoder (identical bytes to the generic one).
    static func encode(_ report: Report) throws -> String { ReportJSON.encode(report) }
    static func encode(_ changes: [ReportChange]) throws -> String { ReportJSON.encode(changes) }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A report's content, with the fast canonical reader.
    static func decode(_ type: Report.Type, _ text: String) throws -> Report { try ReportJSON.decodeReport(text) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
