/// The canonical JSON of a report's content: the same bytes as Foundation's `JSONEncoder` with
/// sorted keys and unescaped slashes (a test checks this on generated reports), written directly
/// because the store encodes every report revision it makes and the generic encoder dominated
/// bulk imports. Keys are emitted in sorted order; absent optionals are left out.
public enum ReportJSON {
    public static func encode(_ report: Report) -> String { String(decoding: bytes(report), as: UTF8.self) }

    /// The same JSON as UTF-8 bytes, for the store, which keeps them without making a `String`.
    public static func bytes(_ report: Report) -> [UInt8] {
        var out = JSONWriter(capacity: 512 + 420 * report.voyages.count)
        out.beginObject()
        out.field(ReportField.callSign.key, report.callSign)
        out.field(ReportField.date.key, report.date.description)
        out.field(ReportField.homeBureau.key, report.homeBureau)
        out.field(ReportField.kind.key, report.kind.rawValue)
        out.field(ReportField.mmsi.key, report.mmsi.rawValue)
        out.field(ReportField.operator.key, report.operator)
        out.field(ReportField.reportId.key, report.reportId)
        out.key(ReportField.sharedWith.key)
        out.beginArray()
        for bureau in report.sharedWith { out.string(bureau) }
        out.endArray()
        out.key("totals")
        totals(report.totals, into: &out)
        out.field(ReportField.vesselImo.key, report.vesselImo?.rawValue)
        out.field(ReportField.vesselName.key, report.vesselName)
        out.field(ReportField.vesselType.key, report.vesselType)
        out.key(ReportField.voyages.key)
        out.beginArray()
        for voyage in report.voyages { self.voyage(voyage, into: &out) }
        out.endArray()
        out.endObject()
        return out.bytes
    }

    /// A revision's list of changes, canonically (the same bytes as `JSONEncoder` with sorted keys).
    public static func encode(_ changes: [ReportChange]) -> String { String(decoding: bytes(changes), as: UTF8.self) }

    /// The same JSON as UTF-8 bytes.
    public static func bytes(_ changes: [ReportChange]) -> [UInt8] {
        var out = JSONWriter(capacity: 2 + 90 * changes.count)
        self.changes(changes, into: &out)
        return out.bytes
    }

    static func changes(_ changes: [ReportChange], into out: inout JSONWriter) {
        out.beginArray()
        for change in changes {
            out.beginObject()
            out.field("action", change.action.rawValue)
            out.field("movementId", change.movementId)
            out.field("operator", change.operator)
            out.endObject()
        }
        out.endArray()
    }

    static func totals(_ t: ReportTotals, into out: inout JSONWriter) {
        out.beginObject()
        out.key(ReportField.areasVisited.key)
        out.beginArray()
        for area in t.areasVisited { out.string(area) }
        out.endArray()
        out.field(ReportField.crossJurisdictionVoyages.key, t.crossJurisdictionVoyages)
        out.field(ReportField.firstDeparture.key, t.firstDeparture)
        out.key(ReportField.jobs.key)
        out.beginObject()
        for (job, count) in t.jobs.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) { out.key(text: job); out.number(count) }
        out.endObject()
        out.field(ReportField.lastArrival.key, t.lastArrival)
        out.field(ReportField.personsAboardMax.key, t.personsAboardMax)
        out.field(ReportField.voyages.key, t.voyages)
        out.endObject()
    }

    /// One voyage, as reports list it (the audit trail keeps voyages in the same form).
    public static func encode(_ voyage: Voyage) -> String {
        var out = JSONWriter(capacity: 420)
        self.voyage(voyage, into: &out)
        return out.text
    }

    static func voyage(_ v: Voyage, into out: inout JSONWriter) {
        out.beginObject()
        out.field("arrivedAt", v.arrivedAt)
        out.field("departedAt", v.departedAt)
        out.field("fromArea", v.fromArea)
        out.field("fromBerth", v.fromBerth)
        out.field("job", v.job.rawValue)
        out.field("mmsi", v.mmsi.rawValue)
        out.field("movementId", v.movementId)
        out.field("operator", v.operator)
        out.field("personsAboard", v.personsAboard)
        out.field("remarks", v.remarks)
        out.field("servedShipImo", v.servedShipImo?.rawValue)
        out.field("servedShipName", v.servedShipName)
        out.field("toArea", v.toArea)
        out.field("toBerth", v.toBerth)
        out.endObject()
    }
}
