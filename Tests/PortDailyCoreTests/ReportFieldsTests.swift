import Foundation
import PortDailyCore
import PortDailySimulation
import PortDailyTestSupport
import Testing

/// The CSV row and the JSON document of a report revision carry the same fields: the CSV header
/// is the document's members, with the totals flattened and the voyages as their movement ids.
@Suite("Report fields: CSV and JSON")
struct ReportFieldsTests {
    @Test("every CSV column is a member of the JSON document (or of its totals), with the same value")
    func sameFields() throws {
        let voyage = Fixture.voyage("V1", departed: "2026-03-02T08:00:00+08:00", from: "n1", to: "s1", persons: 4)
        let report = try #require(ReportFold(setup: Fixture.setup).reports(vessel: Fixture.tug, date: Fixture.date("2026-03-02"),
                                                                            voyages: [voyage]).first)
        let revision = ReportRevision(report: report, revision: 2, sealed: true, late: true,
                                      recordedAt: Fixture.instant("2026-03-03T09:00:00+08:00"), changes: [], seq: 7)
        var out = JSONWriter()
        ReportDocumentJSON.write(StoredRevisionText(revision), acknowledgements: nil, into: &out)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(out.bytes)) as? [String: Any])
        let totals = try #require(document["totals"] as? [String: Any])
        let row = ReportCSV.fields(revision)
        #expect(row.count == ReportCSV.header.count)
        for (column, value) in zip(ReportCSV.header, row) {
            switch column {
            case "movementIds":
                #expect(value == (document["voyages"] as? [[String: Any]])?.compactMap { $0["movementId"] as? String }.joined(separator: ";"))
            case "sharedWith", "areasVisited":
                let list = (document[column] ?? totals[column]) as? [String]
                #expect(value == list?.joined(separator: ";"), "\(column)")
            case "jobs":
                let jobs = try #require(totals["jobs"] as? [String: Int])
                #expect(value == jobs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"))
            default:
                let member = totals[column] ?? document[column]  // the CSV's voyages is the count (totals.voyages)
                #expect(member != nil, "the CSV column \(column) is no member of the document")
                if let member { #expect(value == "\(member)" || (member as? Bool).map { String($0) } == value, "\(column)") }
            }
        }
    }

    @Test("each field's JSON key is its name, and the CSV header is the field list")
    func keysAreNames() {
        for field in ReportField.allCases { #expect("\(field.key)" == field.rawValue) }
        #expect(ReportCSV.header == ReportField.allCases.map(\.rawValue))
        #expect(ReportCSV.header.first == "reportId" && ReportCSV.header.last == "movementIds" && ReportCSV.header.count == 22)
    }
}
