import Foundation
import PortDailyConfig
import PortDailyCore
import PortDailySimulation
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("The case's tug company, a simulated month")
struct CaseFiguresTests {
    @Test("31 tugs, about 5,000 jobs, 1/60 crossing: fuel saving near CNY 1.74 M; consolidated reports far below per-voyage")
    func tugCompanyMonth() throws {
        let config = try ConfigLoader.load(path: CommandLineTool.repositoryRoot.appendingPathComponent("config/portdaily.yaml").path)
        let tugsOnly = PortSetup(bureaus: config.setup.bureaus, portAreas: config.setup.portAreas, vesselTypes: ["tug"])
        let days = 30
        let simulation = PortSimulation(
            setup: tugsOnly, calendar: config.calendar,
            parameters: SimulationParameters(vessels: 31, days: days, jobsPerVesselDay: 5000.0 / (31 * 30), crossShare: 1.0 / 60,
                                             seed: 2025, firstDay: Fixture.date("2026-01-01"), unadmittedShare: 0))
        let t = try TestStore(vessels: [])
        let rules = StoreRules(setup: tugsOnly, calendar: config.calendar)
        _ = try t.store.upsertVessels(simulation.vessels(), rules: rules, now: TestStore.receipt)
        var batch: [ValidatedVoyage] = []
        simulation.voyages(of: simulation.vessels()) { batch.append(ValidatedVoyage(line: batch.count + 1, voyage: $0)) }
        _ = try t.store.ingest(batch, rules: rules, now: TestStore.receipt)

        let inputs = try t.store.figureInputs(from: Fixture.date("2026-01-01"), to: Fixture.date("2026-01-30"), setup: tugsOnly)
        let result = FigureCalculator(setup: tugsOnly, parameters: config.figures)
            .figures(FigureQuery(from: Fixture.date("2026-01-01"), to: Fixture.date("2026-01-30")),
                     vessels: inputs.vessels, voyages: inputs.voyages)
        let totals = result.totals
        #expect((4500...5500).contains(totals.voyages), "\(totals.voyages) jobs")
        // The case: about 83 cross-area jobs a month, CNY 21,000 each, CNY 1.74 M a month.
        #expect(abs(totals.fuelSavedCny - 1_743_000) / 1_743_000 < 0.15, "CNY \(totals.fuelSavedCny)")
        #expect(totals.fuelSavedCny == Double(totals.crossJurisdictionVoyages) * 21_000)
        #expect(totals.reportsConsolidated * 3 < totals.reportsPerVoyage)
        #expect(totals.reportsConsolidated <= totals.reportsDailyPerBureau)
        #expect(totals.reportsConsolidated <= 31 * days)
        #expect(result.daily.count == days)
        #expect(result.declared.first?.value == 8_000_000)
    }
}
