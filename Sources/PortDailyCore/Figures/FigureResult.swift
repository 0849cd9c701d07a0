/// The figures of a period or of one day.
public struct PeriodFigures: Sendable, Equatable, Encodable {
    public let date: LocalDate?
    public let voyages: Int
    public let reportsPerVoyage: Int
    public let reportsDailyPerBureau: Int
    public let reportsConsolidated: Int
    public let crossJurisdictionVoyages: Int
    public let waitAvoidedHours: Double
    public let fuelSavedTonnes: Double
    public let fuelSavedCny: Double

    public var crossJurisdictionShare: Double { voyages == 0 ? 0 : Double(crossJurisdictionVoyages) / Double(voyages) }
    public var vesselHoursFreed: Double { waitAvoidedHours }
    public var reduction: Reduction {
        Reduction(perVoyageToConsolidated: Double(reportsPerVoyage - reportsConsolidated),
                  dailyPerBureauToConsolidated: Double(reportsDailyPerBureau - reportsConsolidated))
    }
    public var reductionPercent: Reduction {
        func percent(_ before: Int) -> Double { before == 0 ? 0 : 100 * Double(before - reportsConsolidated) / Double(before) }
        return Reduction(perVoyageToConsolidated: percent(reportsPerVoyage), dailyPerBureauToConsolidated: percent(reportsDailyPerBureau))
    }

    public struct Reduction: Sendable, Equatable, Codable {
        public let perVoyageToConsolidated: Double
        public let dailyPerBureauToConsolidated: Double
    }

    enum CodingKeys: String, CodingKey {
        case date, voyages, reportsPerVoyage, reportsDailyPerBureau, reportsConsolidated, crossJurisdictionVoyages,
             waitAvoidedHours, fuelSavedTonnes, fuelSavedCny, crossJurisdictionShare, vesselHoursFreed, reduction,
             reductionPercent
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(date, forKey: .date)
        try c.encode(voyages, forKey: .voyages)
        try c.encode(reportsPerVoyage, forKey: .reportsPerVoyage)
        try c.encode(reportsDailyPerBureau, forKey: .reportsDailyPerBureau)
        try c.encode(reportsConsolidated, forKey: .reportsConsolidated)
        try c.encode(reduction, forKey: .reduction)
        try c.encode(reductionPercent, forKey: .reductionPercent)
        try c.encode(crossJurisdictionVoyages, forKey: .crossJurisdictionVoyages)
        try c.encode(crossJurisdictionShare, forKey: .crossJurisdictionShare)
        try c.encode(waitAvoidedHours, forKey: .waitAvoidedHours)
        try c.encode(vesselHoursFreed, forKey: .vesselHoursFreed)
        try c.encode(fuelSavedTonnes, forKey: .fuelSavedTonnes)
        try c.encode(fuelSavedCny, forKey: .fuelSavedCny)
    }
}

/// Figures for a period: the totals flat at the top, then the equivalent vessels, the declared
/// figures (apart, labelled declared), the parameters used, and the daily series.
public struct FigureResult: Sendable, Equatable, Encodable {
    public let query: FigureQuery
    public let totals: PeriodFigures
    /// Vessel-hours freed over the period, as vessels working the configured hours a month.
    public let equivalentVessels: Double
    public let declared: [DeclaredFigure]
    public let parameters: FigureParameters
    public let daily: [PeriodFigures]

    enum Keys: String, CodingKey { case from, to, filters, equivalentVessels, declared, parameters, daily }

    public func encode(to encoder: any Encoder) throws {
        try totals.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(query.from, forKey: .from)
        try c.encode(query.to, forKey: .to)
        try c.encode(Filters(operator: query.operator, bureau: query.bureau, vesselType: query.vesselType), forKey: .filters)
        try c.encode(equivalentVessels, forKey: .equivalentVessels)
        try c.encode(declared, forKey: .declared)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(daily, forKey: .daily)
    }

    struct Filters: Encodable {
        let `operator`: String?
        let bureau: String?
        let vesselType: String?
    }

    /// The CSV shape: one row per day, then a `total` row.
    public static let csvHeader = [
        "date", "voyages", "reportsPerVoyage", "reportsDailyPerBureau", "reportsConsolidated",
        "reductionPercentPerVoyageToConsolidated", "reductionPercentDailyPerBureauToConsolidated", "crossJurisdictionVoyages",
        "crossJurisdictionShare", "waitAvoidedHours", "fuelSavedTonnes", "fuelSavedCny",
    ]

    public var csvRows: [[String?]] {
        (daily + [totals]).map { f in
            [f.date?.description ?? "total", String(f.voyages), String(f.reportsPerVoyage), String(f.reportsDailyPerBureau),
             String(f.reportsConsolidated), Self.number(f.reductionPercent.perVoyageToConsolidated),
             Self.number(f.reductionPercent.dailyPerBureauToConsolidated), String(f.crossJurisdictionVoyages),
             Self.number(f.crossJurisdictionShare), Self.number(f.waitAvoidedHours), Self.number(f.fuelSavedTonnes),
             Self.number(f.fuelSavedCny)]
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format4: value)
    }
}

extension String {
    /// Four decimals, without Foundation.
    init(format4 value: Double) {
        let scaled = (value * 10_000).rounded()
        let whole = Int64(scaled / 10_000)
        var fraction = String(Int64(abs(scaled)) % 10_000)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        self = (value < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
    }
}
