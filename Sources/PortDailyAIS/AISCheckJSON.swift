public import PortDailyCore

extension Discrepancy {
    /// `{"date", "mmsi", "kind", "from", "to", "fromArea", "toArea", "movementId", "operator", "detail", "bureaus", "sharingWrong"}`;
    /// an area at sea is null; movementId and operator only when a voyage is concerned.
    public func writeJSON(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("date", date.description)
        writer.key("mmsi")
        writer.number(Int(mmsi.rawValue) ?? 0)
        writer.field("kind", kind.rawValue)
        writer.field("from", span.start)
        writer.field("to", span.end)
        writer.key("fromArea")
        if let fromArea { writer.string(fromArea) } else { writer.json(Array("null".utf8)) }
        writer.key("toArea")
        if let toArea { writer.string(toArea) } else { writer.json(Array("null".utf8)) }
        writer.field("fromBerth", fromBerth)
        writer.field("toBerth", toBerth)
        writer.field("movementId", voyage?.movementId)
        writer.field("operator", voyage?.operator)
        writer.field("detail", detail)
        writer.key("bureaus")
        writer.beginArray()
        for bureau in bureaus { writer.string(bureau) }
        writer.endArray()
        if kind == .areaMismatch {
            writer.key("sharingWrong")
            writer.bool(sharingWrong)
        }
        writer.endObject()
    }

    public static let csvHeader = ["date", "mmsi", "kind", "from", "to", "fromArea", "toArea", "movementId", "operator", "detail"]

    public var csvFields: [String?] {
        [date.description, mmsi.rawValue, kind.rawValue, ISO8601.format(span.start), ISO8601.format(span.end), fromArea, toArea,
         voyage?.movementId, voyage?.operator, detail]
    }
}

extension VesselDayCheck {
    /// A vessel-day's AIS coverage, each reported voyage's outcome and the discrepancies.
    public func writeJSON(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("date", date.description)
        writer.key("mmsi")
        writer.number(Int(mmsi.rawValue) ?? 0)
        writer.field("operator", `operator`)
        writer.field("positions", positions)
        writer.field("firstAt", firstAt)
        writer.field("lastAt", lastAt)
        writer.key("coverage")
        writer.decimal(Int((coverageShare * 1000).rounded()), places: 3)
        writer.key("gaps")
        writer.beginArray()
        for gap in gaps {
            writer.beginObject()
            writer.field("from", gap.start)
            writer.field("to", gap.end)
            writer.endObject()
        }
        writer.endArray()
        writer.key("confirmed")
        writer.beginArray()
        for key in confirmed { writer.string(key.movementId) }
        writer.endArray()
        writer.key("noCoverage")
        writer.beginArray()
        for key in noCoverage { writer.string(key.movementId) }
        writer.endArray()
        writer.key("discrepancies")
        writer.beginArray()
        for discrepancy in discrepancies { discrepancy.writeJSON(into: &writer) }
        writer.endArray()
        writer.key("bureausTouched")
        writer.beginArray()
        for bureau in bureausTouched { writer.string(bureau) }
        writer.endArray()
        writer.key("sharedWith")
        writer.beginArray()
        for bureau in sharedWith { writer.string(bureau) }
        writer.endArray()
        writer.endObject()
    }

    public static let coverageCSVHeader = ["date", "mmsi", "positions", "firstAt", "lastAt", "coverage", "gaps", "confirmed", "noCoverage",
                                           "discrepancies"]

    public var coverageCSVFields: [String?] {
        let share = Int((coverageShare * 1000).rounded())
        return [date.description, mmsi.rawValue, String(positions), firstAt.map(ISO8601.format), lastAt.map(ISO8601.format),
                "\(share / 1000).\(String(share % 1000).leftPadded(3))", String(gaps.count), String(confirmed.count),
                String(noCoverage.count), String(discrepancies.count)]
    }

    /// A day's check as one document: `{"date", "discrepancies": [...], "vesselDays": [...]}`
    /// (`portdaily ais check` and `GET /v1/ais/discrepancies`).
    public static func writeDayJSON(date: LocalDate, _ checks: [VesselDayCheck], into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("date", date.description)
        writer.key("discrepancies")
        writer.beginArray()
        for check in checks { for discrepancy in check.discrepancies { discrepancy.writeJSON(into: &writer) } }
        writer.endArray()
        writer.key("vesselDays")
        writer.beginArray()
        for check in checks { check.writeJSON(into: &writer) }
        writer.endArray()
        writer.endObject()
    }

    /// The summary a report carries: `{"confirmed", "discrepancies", "noCoverage"}`.
    public func writeSummaryJSON(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("confirmed", confirmed.count)
        writer.field("discrepancies", discrepancies.count)
        writer.field("noCoverage", noCoverage.count)
        writer.endObject()
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
