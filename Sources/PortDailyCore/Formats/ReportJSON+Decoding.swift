extension ReportJSON {
    /// A report from its stored JSON (what ``encode(_:)-(Report)`` or `JSONEncoder` wrote),
    /// checked as `Report`'s `Decodable` form checks it: unknown members are skipped, a missing
    /// or invalid one is an error naming it.
    public static func decodeReport(_ text: String) throws -> Report { try decodeReport(Array(text.utf8)) }

    /// A report from its stored JSON as UTF-8.
    public static func decodeReport(_ utf8: [UInt8]) throws -> Report {
        var reader = JSONReader(utf8)
        let report = try report(&reader)
        try reader.end()
        return report
    }

    /// One voyage from its stored JSON (``ReportJSON/encode(_:)-(Voyage)``).
    public static func decodeVoyage(_ text: String) throws -> Voyage {
        var reader = JSONReader(Array(text.utf8))
        let voyage = try voyage(&reader)
        try reader.end()
        return voyage
    }

    /// A revision's changes from their stored JSON.
    public static func decodeChanges(_ text: String) throws -> [ReportChange] { try decodeChanges(Array(text.utf8)) }

    /// A revision's changes from their stored JSON as UTF-8.
    public static func decodeChanges(_ utf8: [UInt8]) throws -> [ReportChange] {
        var reader = JSONReader(utf8)
        var changes: [ReportChange] = []
        try reader.beginArray()
        while try reader.nextElement() {
            var movementId, operatorID: String?
            var action: ReportChange.Action?
            try reader.beginObject()
            while let key = try reader.nextKey() {
                switch key {
                case "movementId": movementId = try reader.string()
                case "operator": operatorID = try reader.string()
                case "action": action = try ReportChange.Action(rawValue: reader.string())
                default: try reader.skipValue()
                }
            }
            changes.append(ReportChange(movementId: try required("movementId", movementId),
                                        operator: try required("operator", operatorID), action: try required("action", action)))
        }
        try reader.end()
        return changes
    }

    /// A member the stored JSON lacks or holds in an invalid form.
    public struct MissingMember: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "stored JSON: \(name) missing or invalid" }
    }

    private static func required<T>(_ name: String, _ value: T?) throws -> T {
        guard let value else { throw MissingMember(name: name) }
        return value
    }

    private static func report(_ reader: inout JSONReader) throws -> Report {
        var reportId, vesselName, vesselType, operatorID, homeBureau: String?
        var callSign: String?
        var kind: ReportKind?
        var date: LocalDate?
        var mmsi: MMSI?
        var vesselImo: IMONumber?
        var imoGiven = false
        var sharedWith: [String]?
        var voyages: [Voyage]?
        var totals: ReportTotals?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "reportId": reportId = try reader.string()
            case "kind": kind = try ReportKind(rawValue: reader.string())
            case "date": date = try LocalDate(reader.string())
            case "mmsi": mmsi = try MMSI(reader.string())
            case "vesselName": vesselName = try reader.string()
            case "vesselImo":
                if let text = try reader.optionalString() { imoGiven = true; vesselImo = IMONumber(text) }
            case "callSign": callSign = try reader.optionalString()
            case "vesselType": vesselType = try reader.string()
            case "operator": operatorID = try reader.string()
            case "homeBureau": homeBureau = try reader.string()
            case "sharedWith": sharedWith = try strings(&reader)
            case "voyages":
                var list: [Voyage] = []
                try reader.beginArray()
                while try reader.nextElement() { list.append(try voyage(&reader)) }
                voyages = list
            case "totals": totals = try self.totals(&reader)
            default: try reader.skipValue()
            }
        }
        if imoGiven, vesselImo == nil { throw MissingMember(name: "vesselImo") }
        return Report(
            reportId: try required("reportId", reportId), kind: try required("kind", kind), date: try required("date", date),
            mmsi: try required("mmsi", mmsi), vesselName: try required("vesselName", vesselName), vesselImo: vesselImo,
            callSign: callSign, vesselType: try required("vesselType", vesselType), operator: try required("operator", operatorID),
            homeBureau: try required("homeBureau", homeBureau), sharedWith: try required("sharedWith", sharedWith),
            voyages: try required("voyages", voyages), totals: try required("totals", totals))
    }

    private static func totals(_ reader: inout JSONReader) throws -> ReportTotals {
        var voyages, crossJurisdictionVoyages: Int?
        var personsAboardMax: Int?
        var jobs: [String: Int]?
        var areasVisited: [String]?
        var firstDeparture, lastArrival: Instant?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "voyages": voyages = try reader.int()
            case "crossJurisdictionVoyages": crossJurisdictionVoyages = try reader.int()
            case "personsAboardMax": personsAboardMax = try reader.optionalInt()
            case "areasVisited": areasVisited = try strings(&reader)
            case "firstDeparture": firstDeparture = try instant(&reader, "totals.firstDeparture")
            case "lastArrival": lastArrival = try instant(&reader, "totals.lastArrival")
            case "jobs":
                var counts: [String: Int] = [:]
                try reader.beginObject()
                while let job = try reader.nextKey() { counts[job] = try reader.int() }
                jobs = counts
            default: try reader.skipValue()
            }
        }
        return ReportTotals(
            voyages: try required("totals.voyages", voyages),
            crossJurisdictionVoyages: try required("totals.crossJurisdictionVoyages", crossJurisdictionVoyages),
            jobs: try required("totals.jobs", jobs), areasVisited: try required("totals.areasVisited", areasVisited),
            firstDeparture: firstDeparture, lastArrival: lastArrival, personsAboardMax: personsAboardMax)
    }

    private static func voyage(_ reader: inout JSONReader) throws -> Voyage {
        var movementId, operatorID, fromArea, toArea: String?
        var fromBerth, toBerth, servedShipName, remarks: String?
        var mmsi: MMSI?
        var job: Job?
        var departedAt, arrivedAt: Instant?
        var servedShipImo: IMONumber?
        var personsAboard: Int?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "movementId": movementId = try reader.string()
            case "operator": operatorID = try reader.string()
            case "mmsi": mmsi = try MMSI(reader.string())
            case "job": job = try Job(rawValue: reader.string())
            case "departedAt": departedAt = try instant(&reader, "voyages.departedAt")
            case "arrivedAt": arrivedAt = try instant(&reader, "voyages.arrivedAt")
            case "fromArea": fromArea = try reader.string()
            case "toArea": toArea = try reader.string()
            case "fromBerth": fromBerth = try reader.optionalString()
            case "toBerth": toBerth = try reader.optionalString()
            case "servedShipName": servedShipName = try reader.optionalString()
            case "remarks": remarks = try reader.optionalString()
            case "personsAboard": personsAboard = try reader.optionalInt()
            case "servedShipImo":
                if let text = try reader.optionalString() {
                    guard let imo = IMONumber(text) else { throw MissingMember(name: "voyages.servedShipImo") }
                    servedShipImo = imo
                }
            default: try reader.skipValue()
            }
        }
        return Voyage(
            movementId: try required("voyages.movementId", movementId), operator: try required("voyages.operator", operatorID),
            mmsi: try required("voyages.mmsi", mmsi), job: try required("voyages.job", job),
            departedAt: try required("voyages.departedAt", departedAt), fromArea: try required("voyages.fromArea", fromArea),
            fromBerth: fromBerth, arrivedAt: try required("voyages.arrivedAt", arrivedAt),
            toArea: try required("voyages.toArea", toArea), toBerth: toBerth, servedShipImo: servedShipImo,
            servedShipName: servedShipName, personsAboard: personsAboard, remarks: remarks)
    }

    private static func strings(_ reader: inout JSONReader) throws -> [String] {
        var list: [String] = []
        try reader.beginArray()
        while try reader.nextElement() { list.append(try reader.string()) }
        return list
    }

    private static func instant(_ reader: inout JSONReader, _ name: String) throws -> Instant? {
        guard let text = try reader.optionalString() else { return nil }
        guard let instant = ISO8601.parse(text) else { throw MissingMember(name: name) }
        return instant
    }
}
