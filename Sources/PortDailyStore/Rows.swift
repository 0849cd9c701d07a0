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

    static func voyage(_ row: Row) -> Voyage {
        Voyage(movementId: row["movementId"], operator: row["operator"], mmsi: MMSI(row["mmsi"] as String)!,
               job: Job(rawValue: row["job"]) ?? .other,
               departedAt: Instant(millisecondsSinceEpoch: row["departedAt"]), fromArea: row["fromArea"],
               fromBerth: row["fromBerth"], arrivedAt: Instant(millisecondsSinceEpoch: row["arrivedAt"]),
               toArea: row["toArea"], toBerth: row["toBerth"],
               servedShipImo: (row["servedShipImo"] as String?).flatMap { IMONumber($0) },
               servedShipName: row["servedShipName"], personsAboard: row["personsAboard"], remarks: row["remarks"])
    }

    /// The voyage's columns in ``voyageColumns`` order.
    static func voyageValues(_ v: Voyage) -> [(any DatabaseValueConvertible)?] {
        [v.operator, v.movementId, v.mmsi.rawValue, v.job.rawValue, v.departedAt.millisecondsSinceEpoch, v.fromArea,
         v.fromBerth, v.arrivedAt.millisecondsSinceEpoch, v.toArea, v.toBerth, v.servedShipImo?.rawValue,
         v.servedShipName, v.personsAboard, v.remarks]
    }
}

/// The one JSON encoding of stored documents: sorted keys, so equal content gives equal bytes.
enum StoredJSON {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
