/// The fields of a report revision that its CSV row and its JSON document share, in the CSV's
/// column order: the CSV header is this list, and the JSON writers take these names as keys.
/// (The JSON document holds more: the voyages themselves, `changes`, `recordedAt`, `seq`,
/// `withdrawn`; the CSV row lists the voyages by movement id. The totals are nested in JSON.)
public enum ReportField: String, CaseIterable, Sendable {
    case reportId, kind, date, mmsi, vesselName, vesselImo, callSign, vesselType, `operator`, homeBureau, sharedWith
    case revision, sealed, late
    // The report's totals (`totals` in JSON).
    case voyages, crossJurisdictionVoyages, jobs, areasVisited, firstDeparture, lastArrival, personsAboardMax
    case movementIds

    /// The name as a JSON key (the JSON writer copies keys as they are, without escaping).
    public var key: StaticString {
        switch self {
        case .reportId: "reportId"
        case .kind: "kind"
        case .date: "date"
        case .mmsi: "mmsi"
        case .vesselName: "vesselName"
        case .vesselImo: "vesselImo"
        case .callSign: "callSign"
        case .vesselType: "vesselType"
        case .operator: "operator"
        case .homeBureau: "homeBureau"
        case .sharedWith: "sharedWith"
        case .revision: "revision"
        case .sealed: "sealed"
        case .late: "late"
        case .voyages: "voyages"
        case .crossJurisdictionVoyages: "crossJurisdictionVoyages"
        case .jobs: "jobs"
        case .areasVisited: "areasVisited"
        case .firstDeparture: "firstDeparture"
        case .lastArrival: "lastArrival"
        case .personsAboardMax: "personsAboardMax"
        case .movementIds: "movementIds"
        }
    }
}
