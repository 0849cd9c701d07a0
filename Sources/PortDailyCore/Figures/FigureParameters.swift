/// What one crossing of jurisdictions used to cost a vessel of a type: the wait for the other
/// bureau's clearance (besides sailing time) and the fuel burned while waiting.
public struct CrossingCost: Sendable, Codable, Equatable {
    public var waitHoursPerCrossing: Double
    public var fuelTonnesPerHour: Double
    public init(waitHoursPerCrossing: Double, fuelTonnesPerHour: Double) {
        self.waitHoursPerCrossing = waitHoursPerCrossing
        self.fuelTonnesPerHour = fuelTonnesPerHour
    }

    /// The case (Tianjin Port Tug Co.): about 2 h waiting per cross-area job, about 1 t of fuel an hour.
    public static let tugDefault = CrossingCost(waitHoursPerCrossing: 2, fuelTonnesPerHour: 1)
}

/// A figure the administration states rather than derives (e.g. chartered vessels no longer
/// needed × their annual cost); shown apart from the derived figures and labelled as declared.
public struct DeclaredFigure: Sendable, Codable, Equatable {
    public var label: String
    public var value: Double
    public var unit: String
    public var note: String?
    public init(label: String, value: Double, unit: String, note: String? = nil) {
        self.label = label
        self.value = value
        self.unit = unit
        self.note = note
    }
}

/// The parameters of the savings figures; every result echoes them.
public struct FigureParameters: Sendable, Codable, Equatable {
    /// Per vessel type; a type not listed uses ``defaultCrossing``.
    public var crossingByType: [String: CrossingCost]
    public var defaultCrossing: CrossingCost
    /// The case: one crossing saves CNY 21,000 at 2 h × 1 t/h, so CNY 10,500 a tonne.
    public var fuelPriceCnyPerTonne: Double
    /// Working hours of one vessel in a month, to express freed hours as vessels.
    public var workingHoursPerVesselMonth: Double
    public var declared: [DeclaredFigure]

    public init(crossingByType: [String: CrossingCost] = ["tug": .tugDefault], defaultCrossing: CrossingCost = .tugDefault,
                fuelPriceCnyPerTonne: Double = 10_500, workingHoursPerVesselMonth: Double = 720,
                declared: [DeclaredFigure] = []) {
        self.crossingByType = crossingByType
        self.defaultCrossing = defaultCrossing
        self.fuelPriceCnyPerTonne = fuelPriceCnyPerTonne
        self.workingHoursPerVesselMonth = workingHoursPerVesselMonth
        self.declared = declared
    }

    public func crossing(forType type: String) -> CrossingCost { crossingByType[type] ?? defaultCrossing }
}
