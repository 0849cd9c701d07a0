import Foundation
import PortDailyCore
import Testing

@Suite("Chinese names and the demo, end to end", .timeLimit(.minutes(3)))
struct RoundTripTests {
    @Test("Chinese vessel names survive the register and reports in JSON and CSV (with and without BOM)")
    func chineseNames() throws {
        let w = try Workspace()
        try w.loadRegister()
        let listed = try w.portdaily(["vessels", "list"]).array()
        #expect(listed.map { $0["name"] as? String } == ["津港拖1号, 港作", "渤海油2", "津港拖3号"])
        let csv = try w.portdaily(["vessels", "list", "--format", "csv"])
        let rows = CSVParser.parse(csv.stdout)
        #expect(rows.dropFirst().map { $0.fields[2] } == ["津港拖1号, 港作", "渤海油2", "津港拖3号"])

        let feed = "movementId,operator,mmsi,job,departedAt,fromArea,arrivedAt,toArea,servedShipName\n"
            + "M1,op1,412000001,escort,2026-03-02T08:00:00+08:00,beijiang,2026-03-02T09:00:00+08:00,beijiang,中远之星\n"
        #expect(try w.portdaily(["voyages", "import", try w.write("f.csv", feed)]).status == 0)
        let json = try w.portdaily(["reports", "--date", "2026-03-02"]).array()
        #expect(json.first?["vesselName"] as? String == "津港拖1号, 港作")
        let voyage = (json.first?["voyages"] as? [[String: Any]])?.first
        #expect(voyage?["servedShipName"] as? String == "中远之星")
        let withBOM = try w.portdaily(["reports", "--date", "2026-03-02", "--format", "csv", "--bom"]).stdout
        #expect(Array(withBOM.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let reportRows = CSVParser.parse(withBOM)
        #expect(reportRows[0].fields.first == "reportId")
        #expect(reportRows[1].fields[4] == "津港拖1号, 港作")
    }

    @Test("the README demo: simulate a port-day, import, print reports; seal; re-import is all duplicates")
    func demo() throws {
        let w = try Workspace()
        let out = w.path("demo")
        let simulated = try w.portdaily(["simulate", "--vessels", "31", "--days", "1", "--seed", "5", "--start", "2026-03-02",
                                         "--out", out])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let voyageCount = try simulated.object()["voyages"] as? Int ?? 0
        #expect(voyageCount > 100)
        #expect(try w.portdaily(["vessels", "import", out + "/vessels.csv"]).status == 0)
        let imported = try w.portdaily(["voyages", "import", out + "/voyages.ndjson"])
        #expect(imported.status == 0, "\(imported.text)")
        #expect(try imported.object()["accepted"] as? Int == voyageCount)
        let reports = try w.portdaily(["reports", "--date", "2026-03-02"]).array()
        let folded = reports.reduce(0) { $0 + (($1["voyages"] as? [Any])?.count ?? 0) }
        #expect(folded == voyageCount)
        #expect(reports.count < voyageCount)
        let sealed = try w.portdaily(["seal", "--now", "2026-03-03T02:00:00+08:00"]).object()
        #expect(sealed["sealedThrough"] as? String == "2026-03-02")
        #expect(try w.portdaily(["reports", "--date", "2026-03-02"]).array().allSatisfy { $0["sealed"] as? Bool == true })
        let again = try w.portdaily(["voyages", "import", out + "/voyages.ndjson"]).object()
        #expect(again["duplicates"] as? Int == voyageCount)
        #expect(again["accepted"] as? Int == 0)
        let figures = try w.portdaily(["figures", "--from", "2026-03-02", "--to", "2026-03-02"]).object()
        #expect(figures["voyages"] as? Int == voyageCount)
        #expect(figures["reportsPerVoyage"] as? Int == voyageCount)
        #expect(figures["reportsConsolidated"] as? Int == reports.count)
        #expect((figures["parameters"] as? [String: Any])?["fuelPriceCnyPerTonne"] as? Double == 10_500)
        let table = try w.portdaily(["figures", "--from", "2026-03-02", "--to", "2026-03-02", "--format", "table"])
        #expect(table.text.contains("fuel cost saved"))
        #expect(try w.portdaily(["figures", "--from", "2026-03-02", "--to", "2026-03-01"]).status == 2)
        // Longer than http.maxFiguresDays (3660): refused, naming the limit.
        let tooLong = try w.portdaily(["figures", "--from", "2016-01-01", "--to", "2026-03-02"])
        #expect(tooLong.status == 2 && tooLong.stderr.contains("at most 3660 days"), "\(tooLong.stderr)")
        // The same seed gives the same data.
        let other = w.path("demo2")
        _ = try w.portdaily(["simulate", "--vessels", "31", "--days", "1", "--seed", "5", "--start", "2026-03-02", "--out", other])
        #expect(try w.read("demo/voyages.ndjson") == w.read("demo2/voyages.ndjson"))
    }
}
