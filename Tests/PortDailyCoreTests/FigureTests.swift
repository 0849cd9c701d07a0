import PortDailyCore
import PortDailyTestSupport
import Testing

@Suite("Figures")
struct FigureTests {
    // Bureau indices in Fixture.setup: msa 0, north 1, south 2. Vessel 0: the admitted tug;
    // vessel 1: a tug whose admission ended 2026-02-28; vessel 2: op2's bunkering vessel.
    let vessels = [FigureVessel(Fixture.tug), FigureVessel(Fixture.lapsed), FigureVessel(Fixture.bunker)]
    let day1 = Int32(Fixture.date("2026-03-01").dayNumber), day2 = Int32(Fixture.date("2026-03-02").dayNumber)
    var voyages: [FigureVoyage] {
        [
            FigureVoyage(day: day1, vessel: 0, fromBureau: 1, toBureau: 1),  // tug n→n
            FigureVoyage(day: day1, vessel: 0, fromBureau: 1, toBureau: 2),  // tug n→s (crossing)
            FigureVoyage(day: day1, vessel: 0, fromBureau: 2, toBureau: 2),  // tug s→s
            FigureVoyage(day: day2, vessel: 0, fromBureau: 1, toBureau: 1),  // tug n→n
            FigureVoyage(day: day1, vessel: 1, fromBureau: 1, toBureau: 2),  // lapsed tug n→s (crossing)
            FigureVoyage(day: day2, vessel: 2, fromBureau: 1, toBureau: 1, count: 2),  // bunker n→n, twice
        ]
    }
    let calculator = FigureCalculator(setup: Fixture.setup, parameters: FigureParameters(
        crossingByType: ["tug": CrossingCost(waitHoursPerCrossing: 2, fuelTonnesPerHour: 1)],
        defaultCrossing: CrossingCost(waitHoursPerCrossing: 1, fuelTonnesPerHour: 0.5),
        fuelPriceCnyPerTonne: 10_500, workingHoursPerVesselMonth: 720))

    @Test("worked by hand: three regimes, reductions, crossings, wait, fuel and cost")
    func handWorked() {
        let result = calculator.figures(FigureQuery(from: Fixture.date("2026-03-01"), to: Fixture.date("2026-03-02")),
                                        vessels: vessels, voyages: voyages)
        let t = result.totals
        #expect(t.voyages == 7)  // seven legs in six groups
        #expect(t.reportsPerVoyage == 7)
        // Daily per bureau: tug day1 {north, south} 2 + tug day2 {north} 1 + lapsed voyage 1 + bunker day2 {north} 1 = 5.
        #expect(t.reportsDailyPerBureau == 5)
        // Consolidated: tug day1 1 + tug day2 1 + lapsed voyage 1 + bunker day2 1 = 4.
        #expect(t.reportsConsolidated == 4)
        #expect(t.reduction.perVoyageToConsolidated == 3)
        #expect(t.reductionPercent.perVoyageToConsolidated == 300.0 / 7)
        #expect(t.reductionPercent.dailyPerBureauToConsolidated == 20)
        #expect(t.crossJurisdictionVoyages == 2)
        #expect(t.crossJurisdictionShare == 2.0 / 7)
        // Both crossings by tugs: 2 × 2 h, 2 × 2 h × 1 t/h, × CNY 10,500.
        #expect(t.waitAvoidedHours == 4)
        #expect(t.fuelSavedTonnes == 4)
        #expect(t.fuelSavedCny == 42_000)
        #expect(result.equivalentVessels == 4.0 / (720 * 2.0 / 30))
        #expect(result.daily.map(\.voyages) == [4, 3])
        #expect(result.daily.map(\.reportsConsolidated) == [2, 2])
        #expect(result.parameters.fuelPriceCnyPerTonne == 10_500)
    }

    @Test("filters: operator, vessel type, bureau (voyages touching its waters)")
    func filters() {
        let from = Fixture.date("2026-03-01"), to = Fixture.date("2026-03-02")
        let op2 = calculator.figures(FigureQuery(from: from, to: to, operator: "op2"), vessels: vessels, voyages: voyages)
        #expect(op2.totals.voyages == 2)
        #expect(op2.totals.reportsConsolidated == 1)
        #expect(op2.totals.fuelSavedCny == 0)
        let tugs = calculator.figures(FigureQuery(from: from, to: to, vesselType: "tug"), vessels: vessels, voyages: voyages)
        #expect(tugs.totals.voyages == 5)
        let south = calculator.figures(FigureQuery(from: from, to: to, bureau: "south"), vessels: vessels, voyages: voyages)
        // Touching south: tug n→s, tug s→s (one tug-day), lapsed n→s.
        #expect(south.totals.voyages == 3)
        #expect(south.totals.reportsConsolidated == 2)
        #expect(south.totals.crossJurisdictionVoyages == 2)
        let oneDay = calculator.figures(FigureQuery(from: to, to: to), vessels: vessels, voyages: voyages)
        #expect(oneDay.totals.voyages == 3)
        let unknown = calculator.figures(FigureQuery(from: from, to: to, bureau: "nowhere"), vessels: vessels, voyages: voyages)
        #expect(unknown.totals.voyages == 0)
    }

    @Test("a type without its own parameters uses the default crossing cost")
    func defaultCrossing() {
        let crossing = [FigureVoyage(day: day1, vessel: 2, fromBureau: 1, toBureau: 2)]
        let result = calculator.figures(FigureQuery(from: Fixture.date("2026-03-01"), to: Fixture.date("2026-03-01")),
                                        vessels: vessels, voyages: crossing)
        #expect(result.totals.waitAvoidedHours == 1)
        #expect(result.totals.fuelSavedTonnes == 0.5)
        #expect(result.totals.fuelSavedCny == 5250)
    }
}
