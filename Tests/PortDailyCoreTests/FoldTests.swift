import PortDailyCore
import PortDailySimulation
import PortDailyTestSupport
import Testing

@Suite("The daily-report fold")
struct FoldTests {
    let fold = ReportFold(setup: Fixture.setup)
    let day = Fixture.date("2026-03-02")

    @Test("an admitted vessel's day is one report, filed with home, shared with home and every bureau touched")
    func daily() throws {
        // Worked by hand: n1→n2 stays in north; n2→s1 crosses into south; s1→s1 stays in south.
        let voyages = [
            Fixture.voyage("B", departed: "2026-03-02T10:00:00+08:00", from: "n2", to: "s1", job: .escort, persons: 7),
            Fixture.voyage("A", departed: "2026-03-02T08:00:00+08:00", minutes: 45, from: "n1", to: "n2", persons: 5),
            Fixture.voyage("C", departed: "2026-03-02T13:00:00+08:00", minutes: 90, from: "s1", to: "s1"),
        ]
        let reports = fold.reports(vessel: Fixture.tug, date: day, voyages: voyages)
        #expect(reports.count == 1)
        let report = try #require(reports.first)
        #expect(report.kind == .daily)
        #expect(report.reportId == "D-412000001-2026-03-02")
        #expect(report.homeBureau == "msa")
        #expect(report.sharedWith == ["msa", "north", "south"])
        #expect(report.voyages.map(\.movementId) == ["A", "B", "C"])
        #expect(report.totals.voyages == 3)
        #expect(report.totals.crossJurisdictionVoyages == 1)
        #expect(report.totals.jobs == ["berthing-assist": 2, "escort": 1])
        #expect(report.totals.areasVisited == ["n1", "n2", "s1"])
        #expect(report.totals.firstDeparture == Fixture.instant("2026-03-02T08:00:00+08:00"))
        #expect(report.totals.lastArrival == Fixture.instant("2026-03-02T14:30:00+08:00"))
        #expect(report.totals.personsAboardMax == 7)
        #expect(report.vesselName == "津港拖1号")
    }

    @Test("a vessel without a valid admission keeps one per-voyage report per voyage, shared with its two areas' bureaus")
    func perVoyage() {
        let voyages = [
            Fixture.voyage("X", vessel: Fixture.lapsed, departed: "2026-03-02T08:00:00+08:00", from: "n1", to: "s1"),
            Fixture.voyage("Y", vessel: Fixture.lapsed, departed: "2026-03-02T11:00:00+08:00", from: "n1", to: "n2"),
        ]
        let reports = fold.reports(vessel: Fixture.lapsed, date: day, voyages: voyages)
        #expect(reports.map(\.reportId) == ["V-op1-X", "V-op1-Y"])
        #expect(reports.map(\.kind) == [.perVoyage, .perVoyage])
        #expect(reports[0].sharedWith == ["north", "south"])
        #expect(reports[1].sharedWith == ["north"])
        #expect(fold.reports(vessel: Fixture.lapsed, date: day, voyages: []).isEmpty)
    }

    @Test("the fold does not depend on input order (generated days, shuffled)")
    func orderIndependent() {
        var rng = SeededGenerator(seed: 42)
        let simulation = PortSimulation(
            setup: Fixture.setup, calendar: Fixture.calendar,
            parameters: SimulationParameters(vessels: 12, days: 3, jobsPerVesselDay: 6, crossShare: 0.2, seed: 9,
                                             firstDay: day))
        let vessels = simulation.vessels()
        var byVesselDay: [String: [Voyage]] = [:]
        simulation.voyages(of: vessels) { voyage in
            byVesselDay["\(voyage.mmsi) \(Fixture.calendar.localDate(of: voyage.departedAt))", default: []].append(voyage)
        }
        #expect(byVesselDay.count > 20)
        for (key, voyages) in byVesselDay {
            let vessel = vessels.first { key.hasPrefix($0.mmsi.rawValue) }!
            let date = Fixture.calendar.localDate(of: voyages[0].departedAt)
            let reference = fold.reports(vessel: vessel, date: date, voyages: voyages)
            for _ in 0..<3 {
                #expect(fold.reports(vessel: vessel, date: date, voyages: voyages.shuffled(using: &rng)) == reference)
            }
        }
    }

    @Test("changes between revisions: added, corrected, withdrawn")
    func changes() {
        let a = Fixture.voyage("A", departed: "2026-03-02T08:00:00+08:00")
        let b = Fixture.voyage("B", departed: "2026-03-02T10:00:00+08:00")
        var b2 = b
        b2.toArea = "s1"
        let c = Fixture.voyage("C", departed: "2026-03-02T12:00:00+08:00")
        let changes = ReportFold.changes(from: [a, b], to: [b2, c])
        #expect(changes.map { "\($0.movementId):\($0.action.rawValue)" } == ["A:withdrawn", "B:corrected", "C:added"])
    }
}
