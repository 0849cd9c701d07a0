/// A vessel as the figures need it.
public struct FigureVessel: Sendable, Equatable {
    public let mmsi: String
    public let type: String
    public let `operator`: String
    public let admittedFrom: LocalDate?
    public let admittedUntil: LocalDate?

    public init(mmsi: String, type: String, operator: String, admittedFrom: LocalDate?, admittedUntil: LocalDate?) {
        self.mmsi = mmsi
        self.type = type
        self.operator = `operator`
        self.admittedFrom = admittedFrom
        self.admittedUntil = admittedUntil
    }

    public init(_ vessel: Vessel) {
        self.init(mmsi: vessel.mmsi.rawValue, type: vessel.type, operator: vessel.operator,
                  admittedFrom: vessel.admittedFrom, admittedUntil: vessel.admittedUntil)
    }

    func isAdmitted(on day: Int) -> Bool {
        guard let from = admittedFrom, from.dayNumber <= day else { return false }
        return admittedUntil.map { day <= $0.dayNumber } ?? true
    }
}

/// Non-cancelled voyages, compactly: `count` legs of one vessel (an index into the vessels) on
/// one report date between the same two bureaus (indices into the setup's bureaus; -1 unknown).
/// Grouping identical legs keeps a year of a large port small.
public struct FigureVoyage: Sendable, Equatable {
    public let day: Int32
    public let vessel: Int32
    public let fromBureau: Int16
    public let toBureau: Int16
    public let count: Int32

    public init(day: Int32, vessel: Int32, fromBureau: Int16, toBureau: Int16, count: Int32 = 1) {
        self.day = day
        self.vessel = vessel
        self.fromBureau = fromBureau
        self.toBureau = toBureau
        self.count = count
    }

    public var crossesJurisdiction: Bool { fromBureau != toBureau }
}

/// Which voyages a figure covers.
public struct FigureQuery: Sendable, Equatable, Codable {
    public var from: LocalDate
    public var to: LocalDate
    public var `operator`: String?
    /// Voyages that touched this bureau's waters.
    public var bureau: String?
    public var vesselType: String?

    public init(from: LocalDate, to: LocalDate, operator: String? = nil, bureau: String? = nil, vesselType: String? = nil) {
        self.from = from
        self.to = to
        self.operator = `operator`
        self.bureau = bureau
        self.vesselType = vesselType
    }
}
