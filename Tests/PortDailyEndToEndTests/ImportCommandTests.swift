import Foundation
import PortDailyCore
import PortDailyTestSupport
import Testing

@Suite("portdaily voyages import, end to end", .timeLimit(.minutes(3)))
struct ImportCommandTests {
    static let header = "movementId,operator,mmsi,job,departedAt,fromArea,fromBerth,arrivedAt,toArea,toBerth,servedShipImo,servedShipName,personsAboard,remarks"

    static func row(_ id: String, mmsi: String = "412000001", op: String = "op1", dep: String = "2026-03-02T08:00:00+08:00",
                    arr: String = "2026-03-02T09:00:00+08:00", from: String = "beijiang", to: String = "nanjiang") -> String {
        "\(id),\(op),\(mmsi),berthing-assist,\(dep),\(from),B1,\(arr),\(to),,,\"COSCO STAR, 9\",6,"
    }

    func counts(_ object: [String: Any]) -> [Int] {
        ["accepted", "duplicates", "corrected", "rejected"].map { object[$0] as? Int ?? -1 }
    }

    @Test("a CSV with bad rows: valid rows committed, each rejection with its data row number and field, exit 1")
    func partial() throws {
        let w = try Workspace()
        try w.loadRegister()
        let csv = [Self.header, Self.row("M1"),
                   Self.row("M2", from: "atlantis"),
                   Self.row("M3", mmsi: "412000002"),
                   Self.row("M4", arr: "2026-03-02T07:00:00+08:00"),
                   Self.row("M5", dep: "2026-03-02T08:00:00"),
                   Self.row("M6", arr: "2026-03-03T09:00:01+08:00"),
                   Self.row("M7", mmsi: "412999999"),
                   Self.row("M8")].joined(separator: "\r\n")
        let result = try w.portdaily(["voyages", "import", try w.write("feed.csv", csv)])
        #expect(result.status == 1)
        let summary = try result.object()
        #expect(counts(summary) == [2, 0, 0, 6])
        let rejections = summary["rejections"] as? [[String: Any]] ?? []
        #expect(rejections.map { "\($0["line"]!):\($0["field"]!)" } ==
            ["2:fromArea", "3:mmsi", "4:arrivedAt", "5:departedAt", "6:arrivedAt", "7:mmsi"])
        #expect((rejections[1]["reason"] as? String)?.contains("another operator") == true)
        #expect((rejections[4]["reason"] as? String)?.contains("24 h") == true)
    }

    @Test("NDJSON rejections carry the file's line numbers; a file imported twice gives only duplicates")
    func ndjsonTwice() throws {
        let w = try Workspace()
        try w.loadRegister()
        let good = #"{"movementId":"N1","operator":"op1","mmsi":"412000001","job":"escort","departedAt":"2026-03-02T08:00:00+08:00","fromArea":"beijiang","arrivedAt":"2026-03-02T09:00:00+08:00","toArea":"dongjiang"}"#
        let lines = [good, "", good.replacingOccurrences(of: "N1", with: "N2").replacingOccurrences(of: "escort", with: "towing"),
                     "{\"movementId\": tru", good.replacingOccurrences(of: "N1", with: "N3")]
        let file = try w.write("feed.ndjson", lines.joined(separator: "\n") + "\n")
        let first = try w.portdaily(["voyages", "import", file])
        #expect(first.status == 1)
        #expect(counts(try first.object()) == [2, 0, 0, 2])
        let rejections = try first.object()["rejections"] as? [[String: Any]] ?? []
        #expect(rejections.map { "\($0["line"]!):\($0["field"]!)" } == ["3:job", "4:record"])
        let second = try w.portdaily(["voyages", "import", file])
        #expect(counts(try second.object()) == [0, 2, 0, 2])
    }

    @Test("an open day's report is left to its first read, as group commit leaves it; a sealed day's is written at once",
          .enabled(if: SQLiteProbe.available))
    func openDaysFoldedWhenRead() throws {
        let w = try Workspace()
        try w.loadRegister()
        let state = "SELECT (SELECT COUNT(*) FROM staleDay), (SELECT COUNT(*) FROM reportRevision)"
        let csv = [Self.header, Self.row("M1"), Self.row("M2", dep: "2026-03-02T10:00:00+08:00", arr: "2026-03-02T11:00:00+08:00")]
        #expect(try w.portdaily(["voyages", "import", try w.write("a.csv", csv.joined(separator: "\n"))]).status == 0)
        #expect(try SQLiteProbe.firstRow(w.database, state) == "1 0")
        let reports = try w.portdaily(["reports", "--date", "2026-03-02"]).array()
        #expect(reports.map { ($0["voyages"] as? [Any])?.count } == [2])
        #expect(try SQLiteProbe.firstRow(w.database, state) == "0 1")
        // Sealed (the date is long past), the day takes a late voyage as a new revision at once.
        #expect(try w.portdaily(["seal"]).status == 0)
        let late = [Self.header, Self.row("M3", dep: "2026-03-02T12:00:00+08:00", arr: "2026-03-02T13:00:00+08:00")]
        #expect(try w.portdaily(["voyages", "import", try w.write("b.csv", late.joined(separator: "\n"))]).status == 0)
        #expect(try SQLiteProbe.firstRow(w.database, state) == "0 2")
    }

    @Test("--all-or-nothing: a file with one bad record changes nothing")
    func allOrNothing() throws {
        let w = try Workspace()
        try w.loadRegister()
        _ = try w.portdaily(["voyages", "import", try w.write("a.csv", [Self.header, Self.row("M1")].joined(separator: "\n"))])
        let before = try w.portdaily(["reports", "--date", "2026-03-02"]).text
        let bad = [Self.header, Self.row("M2"), Self.row("M1", to: "dagang"), Self.row("M3", from: "nowhere")].joined(separator: "\n")
        let result = try w.portdaily(["voyages", "import", "--all-or-nothing", try w.write("b.csv", bad)])
        #expect(result.status == 1)
        let summary = try result.object()
        #expect(summary["committed"] as? Bool == false)
        #expect(summary["refused"] as? Int == 2)
        #expect(try w.portdaily(["reports", "--date", "2026-03-02"]).text == before)
        let stored = try w.portdaily(["reports", "--date", "2026-03-02"]).array()
        #expect(stored.count == 1)
        #expect((stored[0]["voyages"] as? [Any])?.count == 1)
    }

    @Test("stdin with -, --format; a correction and a cancellation via the CLI")
    func stdinAndCancel() throws {
        let w = try Workspace()
        try w.loadRegister()
        let csv = [Self.header, Self.row("M1"), Self.row("M2", dep: "2026-03-02T10:00:00+08:00", arr: "2026-03-02T11:00:00+08:00")]
        let first = try w.portdaily(["voyages", "import", "--format", "csv", "-"], stdin: Data(csv.joined(separator: "\n").utf8))
        #expect(first.status == 0)
        let fix = [Self.header, Self.row("M1", to: "beijiang")].joined(separator: "\n")
        #expect(counts(try w.portdaily(["voyages", "import", "--format", "csv", "-"], stdin: Data(fix.utf8)).object()) == [0, 0, 1, 0])
        let cancel = try w.portdaily(["voyages", "cancel", "--operator", "op1", "--movement-id", "M2", "--reason", "called off"])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        let reports = try w.portdaily(["reports", "--date", "2026-03-02"]).array()
        #expect(reports.count == 1)
        #expect(reports[0]["sharedWith"] as? [String] == ["beijiang-msa"])
        let history = try w.portdaily(["voyages", "history", "--operator", "op1", "--movement-id", "M1"]).object()
        let changes = history["changes"] as? [[String: Any]] ?? []
        #expect(changes.map { $0["action"] as? String } == ["corrected"])
        // The command line is the actor, by its system user; it has no address.
        let submitted = history["submitted"] as? [String: Any]
        #expect((submitted?["actor"] as? String)?.hasPrefix("cli ") == true, "\(history)")
        #expect(["voyages.submitted", "voyages.import.started"].contains(submitted?["action"] as? String ?? ""), "\(history)")
        #expect((changes.first?["actor"] as? String)?.hasPrefix("cli ") == true)
        #expect(changes.first?["address"] == nil)
        let again = try w.portdaily(["voyages", "cancel", "--operator", "op1", "--movement-id", "M2", "--reason", "x"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already cancelled"))
    }

    @Test("usage and configuration errors exit 2 with a clear message")
    func usageErrors() throws {
        let w = try Workspace()
        #expect(try w.portdaily(["voyages", "import", "feed.txt"]).status == 2)
        #expect(try w.portdaily(["reports", "--date", "2026-02-30"]).status == 2)
        #expect(try w.portdaily(["reports", "--bogus"]).status == 2)
        let badConfig = try w.write("bad.yaml", "database: x.sqlite\nbureaus:\n  - id: msa\nportAreas:\n  - id: a\n    bureau: nope\n")
        let result = try w.cli.run(["reports", "--config", badConfig, "--date", "2026-03-02"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.yaml:6: portAreas[1].bureau: unknown bureau 'nope'"), "\(result.stderr)")
        let viaEnvironment = try w.cli.run(["reports", "--date", "2026-03-02"], environment: ["PORTDAILY_CONFIG": badConfig])
        #expect(viaEnvironment.stderr.contains("bad.yaml:6"))
    }

    @Test("a store whose days were cut in one time zone is refused under a configuration with another")
    func timeZoneChange() throws {
        let w = try Workspace()
        try w.loadRegister()
        let voyage = #"{"movementId":"M1","operator":"op1","mmsi":"412000001","job":"berthing-assist","#
            + #""departedAt":"2026-03-02T08:00:00+08:00","fromArea":"beijiang","arrivedAt":"2026-03-02T09:00:00+08:00","toArea":"beijiang"}"#
        #expect(try w.portdaily(["voyages", "import", try w.write("v.ndjson", voyage + "\n")]).status == 0)
        let example = try String(contentsOfFile: Workspace.exampleConfig, encoding: .utf8)
        #expect(example.contains("timeZone: Asia/Shanghai"))
        let berlin = try w.write("berlin.yaml", try ExampleConfig.patch(example, "timeZone: Asia/Shanghai", "timeZone: Europe/Berlin"))
        let refused = try w.cli.run(["reports", "--config", berlin, "--database", w.database, "--date", "2026-03-02"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("local days of Asia/Shanghai, the configuration says timeZone Europe/Berlin"), "\(refused.stderr)")
        #expect(try w.portdaily(["reports", "--date", "2026-03-02"]).status == 0)
    }
}
