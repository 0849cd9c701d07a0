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

    /// The job these UTF-8 bytes name, if any.
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let job = Self.byName.first(where: { $0.name.count == bytes.count && $0.name.elementsEqual(bytes) })?.job else { return nil }
        self = job
    }

    private static let byName: [(name: [UInt8], job: Job)] = allCases.map { (Array($0.rawValue.utf8), $0) }
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
///
/// A value with its fields in one shared, immutable box: a copy (into a batch, a day's group, a
/// sorted report, an outcome) is one reference count instead of one per text field, which the
/// bulk import and the fold made millions of. Setting a field makes a new box.
public struct Voyage: Hashable, Sendable, Codable {
    /// The fields themselves; their synthesized coding is the voyage's.
    struct Fields: Hashable, Sendable, Codable {
        var movementId: String
        var `operator`: String
        var mmsi: MMSI
        var job: Job
        var departedAt: Instant
        var fromArea: String
        var fromBerth: String?
        var arrivedAt: Instant
        var toArea: String
        var toBerth: String?
        var servedShipImo: IMONumber?
        var servedShipName: String?
        var personsAboard: Int?
        var remarks: String?
    }

    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    public var movementId: String {
        get { box.fields.movementId }
        set { var fields = box.fields; fields.movementId = newValue; box = Box(fields) }
    }
    public var `operator`: String {
        get { box.fields.`operator` }
        set { var fields = box.fields; fields.`operator` = newValue; box = Box(fields) }
    }
    public var mmsi: MMSI {
        get { box.fields.mmsi }
        set { var fields = box.fields; fields.mmsi = newValue; box = Box(fields) }
    }
    public var job: Job {
        get { box.fields.job }
        set { var fields = box.fields; fields.job = newValue; box = Box(fields) }
    }
    public var departedAt: Instant {
        get { box.fields.departedAt }
        set { var fields = box.fields; fields.departedAt = newValue; box = Box(fields) }
    }
    public var fromArea: String {
        get { box.fields.fromArea }
        set { var fields = box.fields; fields.fromArea = newValue; box = Box(fields) }
    }
    public var fromBerth: String? {
        get { box.fields.fromBerth }
        set { var fields = box.fields; fields.fromBerth = newValue; box = Box(fields) }
    }
    public var arrivedAt: Instant {
        get { box.fields.arrivedAt }
        set { var fields = box.fields; fields.arrivedAt = newValue; box = Box(fields) }
    }
    public var toArea: String {
        get { box.fields.toArea }
        set { var fields = box.fields; fields.toArea = newValue; box = Box(fields) }
    }
    public var toBerth: String? {
        get { box.fields.toBerth }
        set { var fields = box.fields; fields.toBerth = newValue; box = Box(fields) }
    }
    public var servedShipImo: IMONumber? {
        get { box.fields.servedShipImo }
        set { var fields = box.fields; fields.servedShipImo = newValue; box = Box(fields) }
    }
    public var servedShipName: String? {
        get { box.fields.servedShipName }
        set { var fields = box.fields; fields.servedShipName = newValue; box = Box(fields) }
    }
    public var personsAboard: Int? {
        get { box.fields.personsAboard }
        set { var fields = box.fields; fields.personsAboard = newValue; box = Box(fields) }
    }
    public var remarks: String? {
        get { box.fields.remarks }
        set { var fields = box.fields; fields.remarks = newValue; box = Box(fields) }
    }

    public init(movementId: String, operator: String, mmsi: MMSI, job: Job, departedAt: Instant, fromArea: String,
                fromBerth: String? = nil, arrivedAt: Instant, toArea: String, toBerth: String? = nil,
                servedShipImo: IMONumber? = nil, servedShipName: String? = nil, personsAboard: Int? = nil,
                remarks: String? = nil) {
        box = Box(Fields(
            movementId: movementId, operator: `operator`, mmsi: mmsi, job: job, departedAt: departedAt, fromArea: fromArea,
            fromBerth: fromBerth, arrivedAt: arrivedAt, toArea: toArea, toBerth: toBerth, servedShipImo: servedShipImo,
            servedShipName: servedShipName, personsAboard: personsAboard, remarks: remarks))
    }

    public init(from decoder: any Decoder) throws { box = Box(try Fields(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try box.fields.encode(to: encoder) }

    public static func == (lhs: Voyage, rhs: Voyage) -> Bool { lhs.box === rhs.box || lhs.box.fields == rhs.box.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }

    public var key: VoyageKey { VoyageKey(operator: self.operator, movementId: movementId) }

    /// The wire names of the fields, in their canonical (CSV header) order.
    public static let fieldNames = [
        "movementId", "operator", "mmsi", "job", "departedAt", "fromArea", "fromBerth", "arrivedAt", "toArea",
        "toBerth", "servedShipImo", "servedShipName", "personsAboard", "remarks",
    ]
    /// The same names as a set, made once (a reader or validator looks names up in it).
    public static let fieldNameSet = FieldNameSet(fieldNames)
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
