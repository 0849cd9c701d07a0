/// A maritime administration: the MSA itself or one of its sub-bureaus.
public struct Bureau: Hashable, Sendable, Codable {
    public let id: String
    public let name: String
    public init(id: String, name: String) { self.id = id; self.name = name }
}

/// A port area (港区) and the bureau whose jurisdiction it lies in.
public struct PortArea: Hashable, Sendable, Codable {
    public let id: String
    public let name: String
    public let bureau: String
    /// Its waters, for the AIS cross-check: which area a position lies in. Optional: without it
    /// no position is placed in the area.
    public let boundary: GeoPolygon?
    /// Named berths in the area (optional): the AIS check names the one a vessel lay at.
    public let berths: [Berth]

    public init(id: String, name: String, bureau: String, boundary: GeoPolygon? = nil, berths: [Berth] = []) {
        self.id = id
        self.name = name
        self.bureau = bureau
        self.boundary = boundary
        self.berths = berths
    }

    /// The berth nearest a position, when it lies within `nauticalMiles` of it.
    public func berth(near point: GeoPoint, within nauticalMiles: Double = 0.15) -> Berth? {
        berths.map { ($0, $0.position.nauticalMiles(to: point)) }.filter { $0.1 <= nauticalMiles }.min { $0.1 < $1.1 }?.0
    }
}

/// A berth of a port area: where a vessel lies alongside.
public struct Berth: Hashable, Sendable, Codable {
    public let id: String
    public let name: String
    public let position: GeoPoint
    public init(id: String, name: String, position: GeoPoint) {
        self.id = id
        self.name = name
        self.position = position
    }
}

/// The administration's reference data: bureaus, port areas and the vessel types admitted to
/// daily reporting. All of it is configuration, so an administration extends it without code.
public struct PortSetup: Sendable, Equatable {
    public let bureaus: [Bureau]
    public let portAreas: [PortArea]
    public let vesselTypes: [String]
    private let bureauByID: [String: Bureau]
    private let areaByID: [String: PortArea]
    private let areaIDs: FieldNameSet
    private let typeSet: Set<String>

    public init(bureaus: [Bureau], portAreas: [PortArea], vesselTypes: [String]) {
        self.bureaus = bureaus
        self.portAreas = portAreas
        self.vesselTypes = vesselTypes
        bureauByID = Dictionary(bureaus.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        areaByID = Dictionary(portAreas.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        areaIDs = FieldNameSet(portAreas.map(\.id))
        typeSet = Set(vesselTypes)
    }

    public func bureau(_ id: String) -> Bureau? { bureauByID[id] }
    public func area(_ id: String) -> PortArea? { areaByID[id] }
    /// The id of the area these UTF-8 bytes name, if any (a validator reads it from a record's bytes).
    func areaID(spelledBy bytes: UnsafeBufferPointer<UInt8>) -> String? { areaIDs.name(spelledBy: bytes) }
    public func knowsVesselType(_ type: String) -> Bool { typeSet.contains(type) }

    /// The area whose boundary holds the point; nil at sea (outside every boundary).
    public func area(at point: GeoPoint) -> PortArea? {
        portAreas.first { $0.boundary?.contains(point) == true }
    }

    /// The bureau whose jurisdiction an area lies in; nil for an unknown area.
    public func jurisdiction(ofArea id: String) -> String? { areaByID[id]?.bureau }

    public static func == (lhs: PortSetup, rhs: PortSetup) -> Bool {
        lhs.bureaus == rhs.bureaus && lhs.portAreas == rhs.portAreas && lhs.vesselTypes == rhs.vesselTypes
    }

    /// The vessel types named by the case, the default list.
    public static let defaultVesselTypes = ["tug", "bunkering", "water-supply", "oily-waste-reception", "garbage-reception"]
}
