import Foundation
import PortDailyCore
import PortDailySimulation
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("Fold invariants over generated data")
struct FoldInvariantTests {
    static let simulation = PortSimulation(
        setup: Fixture.setup, calendar: Fixture.calendar,
        parameters: SimulationParameters(vessels: 40, days: 3, jobsPerVesselDay: 6, crossShare: 0.15, seed: 2026,
                                         firstDay: Fixture.date("2026-03-01"), unadmittedShare: 0.1))

    static func generated() -> ([Vessel], [Voyage]) {
        let vessels = simulation.vessels()
        var voyages: [Voyage] = []
        simulation.voyages(of: vessels) { voyages.append($0) }
        return (vessels, voyages)
    }

    @Test("every accepted, non-cancelled voyage is in exactly one report; shares are exactly home plus bureaus touched; input order does not matter")
    func invariants() throws {
        let (vessels, voyages) = Self.generated()
        #expect(voyages.count > 500)
        #expect(vessels.contains { !$0.isAdmitted(on: Fixture.date("2026-03-02")) })
        let t1 = try TestStore(vessels: vessels)
        let t2 = try TestStore(vessels: vessels)
        try t1.ingest(voyages)
        var rng = SeededGenerator(seed: 7)
        for chunk in voyages.shuffled(using: &rng).chunked(into: 97) { try t2.ingest(chunk) }
        // Cancel some voyages in both.
        let cancelled = Set(voyages.shuffled(using: &rng).prefix(25).map(\.key))
        for key in cancelled {
            _ = try t1.store.cancel(key, reason: "test", rules: t1.rules, now: TestStore.receipt)
            _ = try t2.store.cancel(key, reason: "test", rules: t2.rules, now: TestStore.receipt)
        }

        let reports = try t1.store.latestReports(ReportFilter())
        var seen: [VoyageKey: Int] = [:]
        let byMMSI = Dictionary(uniqueKeysWithValues: vessels.map { ($0.mmsi, $0) })
        for revision in reports {
            let report = revision.report
            for voyage in report.voyages { seen[voyage.key, default: 0] += 1 }
            var touched = Set(report.voyages.flatMap { [Fixture.setup.jurisdiction(ofArea: $0.fromArea)!, Fixture.setup.jurisdiction(ofArea: $0.toArea)!] })
            if report.kind == .daily {
                touched.insert(report.homeBureau)
                #expect(byMMSI[report.mmsi]!.isAdmitted(on: report.date))
            } else {
                #expect(!byMMSI[report.mmsi]!.isAdmitted(on: report.date))
                #expect(report.voyages.count <= 1)
            }
            if !report.voyages.isEmpty { #expect(Set(report.sharedWith) == touched, "\(report.reportId)") }
            #expect(report.voyages.allSatisfy { Fixture.calendar.localDate(of: $0.departedAt) == report.date })
        }
        let expected = Set(voyages.map(\.key)).subtracting(cancelled)
        #expect(Set(seen.keys) == expected)
        #expect(seen.values.allSatisfy { $0 == 1 })

        let other = try t2.store.latestReports(ReportFilter())
        #expect(other.map(\.report) == reports.map(\.report))
    }
}

extension Array {
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
