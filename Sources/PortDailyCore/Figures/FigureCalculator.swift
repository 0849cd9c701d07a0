/// Report-reduction, fuel and cost figures for a period, from the voyages themselves.
///
/// For the voyages the query selects (cancelled ones never reach it):
/// - reports under three regimes: (a) one per voyage; (b) one per vessel per bureau whose waters
///   it touched per day, for admitted vessels (daily reporting before consolidation), plus one per
///   voyage of vessels not admitted; (c) one per admitted vessel per active day, plus one per
///   voyage of vessels not admitted;
/// - cross-jurisdiction voyages (the two areas in different bureaus' jurisdictions);
/// - the wait each crossing no longer costs, the fuel burned in it and its price, per vessel type;
/// - those waits as vessel-hours freed, and as vessels at the configured working hours a month.
public struct FigureCalculator: Sendable {
    public let setup: PortSetup
    public let parameters: FigureParameters

    public init(setup: PortSetup, parameters: FigureParameters) {
        self.setup = setup
        self.parameters = parameters
    }

    public func figures(_ query: FigureQuery, vessels: [FigureVessel], voyages: [FigureVoyage]) -> FigureResult {
        let bureauFilter = query.bureau.flatMap { id in setup.bureaus.firstIndex { $0.id == id } }.map(Int16.init)
        let selectedVessel = vessels.map { vessel in
            (query.operator.map { $0 == vessel.operator } ?? true) && (query.vesselType.map { $0 == vessel.type } ?? true)
        }
        let crossingCosts = vessels.map { parameters.crossing(forType: $0.type) }
        let firstDay = query.from.dayNumber, lastDay = query.to.dayNumber
        var days = [DayTally](repeating: DayTally(), count: max(0, lastDay - firstDay + 1))
        var vesselDays = Set<Int64>()
        var vesselDayBureaus = Set<Int64>()
        for voyage in voyages {
            let day = Int(voyage.day), vessel = Int(voyage.vessel)
            guard day >= firstDay, day <= lastDay, vessel < vessels.count, selectedVessel[vessel] else { continue }
            if query.bureau != nil {
                guard let wanted = bureauFilter, voyage.fromBureau == wanted || voyage.toBureau == wanted else { continue }
            }
            let index = day - firstDay
            let count = Int(voyage.count)
            days[index].voyages += count
            if voyage.crossesJurisdiction {
                let cost = crossingCosts[vessel]
                days[index].crossings += count
                days[index].waitHours += Double(count) * cost.waitHoursPerCrossing
                days[index].fuelTonnes += Double(count) * cost.waitHoursPerCrossing * cost.fuelTonnesPerHour
            }
            if vessels[vessel].isAdmitted(on: day) {
                let vesselDay = Int64(vessel) << 20 | Int64(index)
                if vesselDays.insert(vesselDay).inserted { days[index].consolidated += 1 }
                for bureau in Set([voyage.fromBureau, voyage.toBureau]) where
                    vesselDayBureaus.insert(vesselDay << 12 | Int64(bureau + 1)).inserted {
                    days[index].dailyPerBureau += 1
                }
            } else {
                days[index].consolidated += count
                days[index].dailyPerBureau += count
            }
        }
        let daily = days.enumerated().map { offset, tally in
            tally.figures(date: LocalDate(dayNumber: firstDay + offset), price: parameters.fuelPriceCnyPerTonne)
        }
        let total = days.reduce(DayTally(), +)
        let months = Double(days.count) / 30.0
        return FigureResult(
            query: query, totals: total.figures(date: nil, price: parameters.fuelPriceCnyPerTonne),
            equivalentVessels: months > 0 && parameters.workingHoursPerVesselMonth > 0
                ? total.waitHours / (parameters.workingHoursPerVesselMonth * months) : 0,
            declared: parameters.declared, parameters: parameters, daily: daily)
    }
}

/// Running counts of one day.
struct DayTally {
    var voyages = 0
    var dailyPerBureau = 0
    var consolidated = 0
    var crossings = 0
    var waitHours = 0.0
    var fuelTonnes = 0.0

    static func + (a: DayTally, b: DayTally) -> DayTally {
        DayTally(voyages: a.voyages + b.voyages, dailyPerBureau: a.dailyPerBureau + b.dailyPerBureau,
                 consolidated: a.consolidated + b.consolidated, crossings: a.crossings + b.crossings,
                 waitHours: a.waitHours + b.waitHours, fuelTonnes: a.fuelTonnes + b.fuelTonnes)
    }

    func figures(date: LocalDate?, price: Double) -> PeriodFigures {
        PeriodFigures(date: date, voyages: voyages, reportsPerVoyage: voyages, reportsDailyPerBureau: dailyPerBureau,
                      reportsConsolidated: consolidated, crossJurisdictionVoyages: crossings,
                      waitAvoidedHours: waitHours, fuelSavedTonnes: fuelTonnes, fuelSavedCny: fuelTonnes * price)
    }
}
