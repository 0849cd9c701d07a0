/// What a movement leg was for.
public enum Job: String, CaseIterable, Hashable, Sendable, Codable {
    case berthingAssist = "berthing-assist"
    case unberthingAssist = "unberthing-assist"
    case escort
    case pilotTransfer = "pilot-transfer"
    case shifting
    case bunkering
    case waterSupply = "water-supply"
    case oilyWasteReception = "oily-waste-reception"
    case garbageReception = "garbage-reception"
    case standby
    case emergency
    case other
}

/// The key that identifies a voyage: the operator's own movement id, unique per operator.
public struct VoyageKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let `operator`: String
    public let movementId: String
    public init(operator: String, movementId: String) { self.operator = `operator`; self.movementId = movementId }
    public static func < (lhs: VoyageKey, rhs: VoyageKey) -> Bool {
        (lhs.operator, lhs.movementId) < (rhs.operator, rhs.movementId)
    }
    public var description: String { "\(self.operator)/\(movementId)" }
}

/// One movement leg of a vessel: under the old regime, each needed a report of its own.
public struct Voyage: Hashable, Sendable, Codable {
    public var movementId: String
    public var `operator`: String
    public var mmsi: MMSI
    public var job: Job
    public var departedAt: Instant
    public var fromArea: String
    public var fromBerth: String?
    public var arrivedAt: Instant
    public var toArea: String
    public var toBerth: String?
    public var servedShipImo: IMONumber?
    public var servedShipName: String?
    public var personsAboard: Int?
    public var remarks: String?

    public init(movementId: String, operator: String, mmsi: MMSI, job: Job, departedAt: Instant, fromArea: String,
                fromBerth: String? = nil, arrivedAt: Instant, toArea: String, toBerth: String? = nil,
                servedShipImo: IMONumber? = nil, servedShipName: String? = nil, personsAboard: Int? = nil,
                remarks: String? = nil) {
        self.movementId = movementId
        self.operator = `operator`
        self.mmsi = mmsi
        self.job = job
        self.departedAt = departedAt
        self.fromArea = fromArea
        self.fromBerth = fromBerth
        self.arrivedAt = arrivedAt
        self.toArea = toArea
        self.toBerth = toBerth
        self.servedShipImo = servedShipImo
        self.servedShipName = servedShipName
        self.personsAboard = personsAboard
        self.remarks = remarks
    }

    public var key: VoyageKey { VoyageKey(operator: self.operator, movementId: movementId) }

    /// The wire names of the fields, in their canonical (CSV header) order.
    public static let fieldNames = [
        "movementId", "operator", "mmsi", "job", "departedAt", "fromArea", "fromBerth", "arrivedAt", "toArea",
        "toBerth", "servedShipImo", "servedShipName", "personsAboard", "remarks",
    ]
    static let fieldNameSet = Set(fieldNames)
    public static let requiredFieldNames: Set<String> = [
        "movementId", "operator", "mmsi", "job", "departedAt", "fromArea", "arrivedAt", "toArea",
    ]

    /// The fields as wire text, in ``fieldNames`` order; nil for an absent optional field.
    public var fieldValues: [String?] {
        [movementId, self.operator, mmsi.rawValue, job.rawValue, ISO8601.format(departedAt), fromArea, fromBerth,
         ISO8601.format(arrivedAt), toArea, toBerth, servedShipImo?.rawValue, servedShipName,
         personsAboard.map(String.init), remarks]
    }
}

extension Vessel {
    public static let fieldNames = [
        "mmsi", "imo", "name", "callSign", "type", "operator", "homeBureau", "admittedFrom", "admittedUntil",
    ]
    static let fieldNameSet = Set(fieldNames)
    public static let requiredFieldNames: Set<String> = ["mmsi", "name", "type", "operator", "homeBureau", "admittedFrom"]

    public var fieldValues: [String?] {
        [mmsi.rawValue, imo?.rawValue, name, callSign, type, self.operator, homeBureau, admittedFrom.description,
         admittedUntil?.description]
    }
}
