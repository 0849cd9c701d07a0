import Foundation
import PortDailyCore
import PortDailySimulation
import PortDailyTestSupport
import Testing

@Suite("Canonical report JSON")
struct ReportJSONTests {
    static func generic(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Reports folded from a simulated port (per-voyage ones included), one with awkward text
    /// (quotes, backslashes, slashes, Chinese, emoji, control characters, milliseconds) and its
    /// emptied (withdrawn) form.
    static func generatedReports(seed: UInt64) -> [Report] {
        let simulation = PortSimulation(
            setup: Fixture.setup, calendar: Fixture.calendar,
            parameters: SimulationParameters(vessels: 20, days: 2, jobsPerVesselDay: 5, crossShare: 0.3, seed: seed,
                                             firstDay: Fixture.date("2026-03-01"), unadmittedShare: 0.2))
        let vessels = simulation.vessels()
        var byDay: [String: [Voyage]] = [:]
        simulation.voyages(of: vessels) { byDay["\($0.mmsi)|\(Fixture.calendar.localDate(of: $0.departedAt))", default: []].append($0) }
        let fold = ReportFold(setup: Fixture.setup)
        var reports: [Report] = []
        for (key, voyages) in byDay {
            let vessel = vessels.first { key.hasPrefix($0.mmsi.rawValue) }!
            reports += fold.reports(vessel: vessel, date: Fixture.calendar.localDate(of: voyages[0].departedAt), voyages: voyages)
        }
        var odd = Fixture.voyage("a/b\\\"c", departed: "2026-03-02T08:00:00.123+08:00", persons: 0)
        odd.remarks = "津 \"quoted\" / back\\slash 🚢 tab\tline\nreturn\r\u{1}\u{1F}"
        odd.servedShipName = "中远之星"
        odd.servedShipImo = IMONumber("9074729")
        odd.fromBerth = "B/1"
        let report = fold.reports(vessel: Fixture.tug, date: Fixture.date("2026-03-02"), voyages: [odd])[0]
        return reports + [report, fold.withdrawn(report)]
    }

    @Test("the fast encoder writes exactly JSONEncoder's bytes, for generated reports and awkward text")
    func sameBytes() throws {
        let reports = Self.generatedReports(seed: 4)
        #expect(reports.count > 20)
        for report in reports { #expect(ReportJSON.encode(report) == (try Self.generic(report))) }
        // The awkward voyage (the last report is its withdrawn form).
        let odd = reports[reports.count - 2].voyages[0]
        // A revision's changes: added, corrected and withdrawn, with awkward identifiers.
        var moved = odd
        moved.toArea = "s1"
        let other = Fixture.voyage("津-2", departed: "2026-03-02T09:00:00+08:00")
        let changes = ReportFold.changes(from: [odd, other], to: [moved, Fixture.voyage("new\"one", departed: "2026-03-02T10:00:00+08:00")])
        #expect(Set(changes.map(\.action)) == [.added, .corrected, .withdrawn])
        #expect(ReportJSON.encode(changes) == (try Self.generic(changes)))
        #expect(ReportJSON.encode([ReportChange]()) == "[]")
    }
}

@Suite("Reading stored report JSON")
struct ReportJSONReadingTests {
    @Test("what the canonical writer and JSONEncoder write reads back as the same report")
    func roundTrip() throws {
        let reports = ReportJSONTests.generatedReports(seed: 11)
        #expect(reports.count > 20)
        for report in reports {
            #expect(try ReportJSON.decodeReport(ReportJSON.encode(report)) == report)
            #expect(try ReportJSON.decodeReport(ReportJSONTests.generic(report)) == report)
            #expect(try ReportJSON.decodeReport(ReportJSON.encode(report)) == JSONDecoder().decode(Report.self, from: Data(ReportJSON.encode(report).utf8)))
        }
        let changes = [ReportChange(movementId: "m\"1", operator: "津", action: .added),
                       ReportChange(movementId: "m2", operator: "op", action: .withdrawn)]
        #expect(try ReportJSON.decodeChanges(ReportJSON.encode(changes)) == changes)
        #expect(try ReportJSON.decodeChanges("[]") == [])
    }

    @Test("escapes JSONEncoder does not write (\\u, surrogate pairs, \\/), whitespace and unknown members are read")
    func otherSpellings() throws {
        let report = ReportJSONTests.generatedReports(seed: 11).last!
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted]
        var object = try #require(try JSONSerialization.jsonObject(with: pretty.encode(report)) as? [String: Any])
        object["futureMember"] = ["nested": [1, 2.5, true, NSNull(), "x"]]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]), as: UTF8.self)
        #expect(try ReportJSON.decodeReport(text) == report)
        let escaped = ReportJSON.encode(report).replacingOccurrences(of: "\"津港拖1号\"", with: "\"\\u6d25\\u6e2f\\u62d61\\u53f7\\ud83d\\udea2\\/\"")
        #expect(try ReportJSON.decodeReport(escaped).vesselName == "津港拖1号🚢/")
    }

    @Test("truncated, misspelt or incomplete stored JSON is an error, never a wrong report")
    func malformed() throws {
        let text = ReportJSON.encode(ReportJSONTests.generatedReports(seed: 11)[0])
        for cut in stride(from: 0, to: text.utf8.count - 1, by: max(1, text.utf8.count / 97)) {
            let truncated = String(decoding: Array(text.utf8)[0..<cut], as: UTF8.self)
            #expect(throws: (any Error).self) { try ReportJSON.decodeReport(truncated) }
        }
        #expect(throws: (any Error).self) { try ReportJSON.decodeReport(text + "x") }
        #expect(throws: (any Error).self) { try ReportJSON.decodeReport(text.replacingOccurrences(of: "\"reportId\"", with: "\"reportID\"")) }
        #expect(throws: (any Error).self) { try ReportJSON.decodeReport(text.replacingOccurrences(of: "\"mmsi\":\"412", with: "\"mmsi\":\"X12")) }
        #expect(throws: (any Error).self) { try ReportJSON.decodeReport(text.replacingOccurrences(of: ",\"", with: ",,\"")) }
        #expect(throws: (any Error).self) { try ReportJSON.decodeChanges("[{\"movementId\":\"m\",\"operator\":\"o\",\"action\":\"eaten\"}]") }
    }
}

@Suite("Report CSV rows from stored parts")
struct ReportCSVPartsTests {
    @Test("a row assembled from a report's parts is the row written from all its fields, for any bookkeeping")
    func sameRow() {
        let reports = ReportJSONTests.generatedReports(seed: 7)
        #expect(reports.count > 20)
        for report in reports {
            let parts = ReportCSV.Parts(report)
            for (revision, sealed, late) in [(1, false, false), (2, true, true), (13, true, false)] {
                let revisionOf = ReportRevision(report: report, revision: revision, sealed: sealed, late: late,
                                                recordedAt: Fixture.instant("2026-03-03T01:00:00Z"), changes: [], seq: 9)
                let expected = CSVWriter.row(ReportCSV.fields(revisionOf))
                #expect(parts.row(revision: revision, sealed: sealed, late: late) == expected)
                let parsed = CSVParser.parse(Array((CSVWriter.row(ReportCSV.header) + expected).utf8))
                #expect(parsed.count == 2 && parsed[1].error == nil && parsed[1].fields.count == ReportCSV.header.count)
            }
        }
    }
}
