import Foundation
import PortDailyCore
import PortDailySimulation
import PortDailyTestSupport
import Testing

@Suite("Canonical report JSON")
struct ReportJSONTests {
    static func generic(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    @Test("the fast encoder writes exactly JSONEncoder's bytes, for generated reports and awkward text")
    func sameBytes() throws {
        let simulation = PortSimulation(
            setup: Fixture.setup, calendar: Fixture.calendar,
            parameters: SimulationParameters(vessels: 20, days: 2, jobsPerVesselDay: 5, crossShare: 0.3, seed: 4,
                                             firstDay: Fixture.date("2026-03-01"), unadmittedShare: 0.2))
        let vessels = simulation.vessels()
        var byDay: [String: [Voyage]] = [:]
        simulation.voyages(of: vessels) { byDay["\($0.mmsi)|\(Fixture.calendar.localDate(of: $0.departedAt))", default: []].append($0) }
        let fold = ReportFold(setup: Fixture.setup)
        var checked = 0
        for (key, voyages) in byDay {
            let vessel = vessels.first { key.hasPrefix($0.mmsi.rawValue) }!
            for report in fold.reports(vessel: vessel, date: Fixture.calendar.localDate(of: voyages[0].departedAt), voyages: voyages) {
                #expect(ReportJSON.encode(report) == (try Self.generic(report)))
                checked += 1
            }
        }
        #expect(checked > 20)
        // Quotes, backslashes, slashes, Chinese, emoji, and an emptied report.
        var odd = Fixture.voyage("a/b\\\"c", departed: "2026-03-02T08:00:00.123+08:00", persons: 0)
        odd.remarks = "津 \"quoted\" / back\\slash 🚢 tab\tline\nreturn\r\u{1}\u{1F}"
        odd.servedShipName = "中远之星"
        let report = fold.reports(vessel: Fixture.tug, date: Fixture.date("2026-03-02"), voyages: [odd])[0]
        #expect(ReportJSON.encode(report) == (try Self.generic(report)))
        #expect(ReportJSON.encode(fold.withdrawn(report)) == (try Self.generic(fold.withdrawn(report))))
        // A revision's changes: added, corrected and withdrawn, with awkward identifiers.
        var moved = odd
        moved.toArea = "s1"
        let other = Fixture.voyage("津-2", departed: "2026-03-02T09:00:00+08:00")
        let changes = ReportFold.changes(from: [odd, other], to: [moved, Fixture.voyage("new\"one", departed: "2026-03-02T10:00:00+08:00")])
        #expect(Set(changes.map(\.action)) == [.added, .corrected, .withdrawn])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(ReportJSON.encode(changes) == String(decoding: try encoder.encode(changes), as: UTF8.self))
        #expect(ReportJSON.encode([ReportChange]()) == "[]")
    }
}
