/// The canonical JSON of a report's content: the same bytes as Foundation's `JSONEncoder` with
/// sorted keys and unescaped slashes (a test checks this on generated reports), written directly
/// because the store encodes every report revision it makes and the generic encoder dominated
/// bulk imports. Keys are emitted in sorted order; absent optionals are left out.
public enum ReportJSON {
    public static func encode(_ report: Report) -> String {
        var out = "{"
        var first = true
        func key(_ name: String) {
            out += first ? "\"" : ",\""
            out += name
            out += "\":"
            first = false
        }
        func string(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            out += JSONText.quote(value)
        }
        string("callSign", report.callSign)
        string("date", report.date.description)
        string("homeBureau", report.homeBureau)
        string("kind", report.kind.rawValue)
        string("mmsi", report.mmsi.rawValue)
        string("operator", report.operator)
        string("reportId", report.reportId)
        key("sharedWith")
        out += array(report.sharedWith.map(JSONText.quote))
        key("totals")
        out += totals(report.totals)
        string("vesselImo", report.vesselImo?.rawValue)
        string("vesselName", report.vesselName)
        string("vesselType", report.vesselType)
        key("voyages")
        out += array(report.voyages.map(voyage))
        return out + "}"
    }

    static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ",") + "]" }

    static func object(_ pairs: [(String, String?)]) -> String {
        "{" + pairs.compactMap { key, value in value.map { JSONText.quote(key) + ":" + $0 } }.joined(separator: ",") + "}"
    }

    static func totals(_ t: ReportTotals) -> String {
        object([
            ("areasVisited", array(t.areasVisited.map(JSONText.quote))),
            ("crossJurisdictionVoyages", String(t.crossJurisdictionVoyages)),
            ("firstDeparture", t.firstDeparture.map { JSONText.quote(ISO8601.format($0)) }),
            ("jobs", object(t.jobs.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, String($0.value)) })),
            ("lastArrival", t.lastArrival.map { JSONText.quote(ISO8601.format($0)) }),
            ("personsAboardMax", t.personsAboardMax.map(String.init)),
            ("voyages", String(t.voyages)),
        ])
    }

    static func voyage(_ v: Voyage) -> String {
        object([
            ("arrivedAt", JSONText.quote(ISO8601.format(v.arrivedAt))),
            ("departedAt", JSONText.quote(ISO8601.format(v.departedAt))),
            ("fromArea", JSONText.quote(v.fromArea)),
            ("fromBerth", v.fromBerth.map(JSONText.quote)),
            ("job", JSONText.quote(v.job.rawValue)),
            ("mmsi", JSONText.quote(v.mmsi.rawValue)),
            ("movementId", JSONText.quote(v.movementId)),
            ("operator", JSONText.quote(v.operator)),
            ("personsAboard", v.personsAboard.map(String.init)),
            ("remarks", v.remarks.map(JSONText.quote)),
            ("servedShipImo", v.servedShipImo.map { JSONText.quote($0.rawValue) }),
            ("servedShipName", v.servedShipName.map(JSONText.quote)),
            ("toArea", JSONText.quote(v.toArea)),
            ("toBerth", v.toBerth.map(JSONText.quote)),
        ])
    }
}
