import Foundation
import PortDailyAIS
import PortDailyCore
import PortDailyTestSupport
import Testing

@Suite("portdaily ais import and ais check")
struct CheckCommandTests {
    final class Workspace {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-ais-\(UUID().uuidString)")
        static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../config/portdaily.yaml").standardized.path
        init() throws { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ text: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        func run(_ arguments: [String]) throws -> CommandLineTool.Output {
            try CommandLineTool(name: "portdaily").run(arguments + ["--config", Self.config, "--database",
                                                                   directory.appendingPathComponent("pd.sqlite").path])
        }
    }

    @Test("a recording loaded (register's vessels only, times required, moorings thinned, again idempotent), then the day checked as JSON and CSV")
    func importAndCheck() throws {
        let w = try Workspace()
        let register = "mmsi,imo,name,callSign,type,operator,homeBureau,admittedFrom,admittedUntil\n"
            + "412000001,,津港拖1号,,tug,op1,beijiang-msa,2026-01-01,\n412000002,,渤海油2,,bunkering,op2,nanjiang-msa,2026-01-01,\n"
        #expect(try w.run(["vessels", "import", try w.write("vessels.csv", register)]).status == 0)
        let voyages = [CrossCheckTests.voyage("M1", "beijiang", "nanjiang", "08:00", "08:45"),
                       CrossCheckTests.voyage("M7", "dongjiang", "dagukou", "14:00", "15:00")]
        let imported = try w.run(["voyages", "import", try w.write("v.ndjson", voyages.map(VoyageNDJSON.line).joined())])
        #expect(imported.status == 0, "\(imported.stderr)")

        var feed = SyntheticFeed(mmsi: CrossCheckTests.tugMMSI)
        feed.stay("beijiang", "00:00", "08:00", every: 10)
        feed.move("beijiang", "nanjiang", "08:01", "08:40")
        feed.stay("nanjiang", "08:41", "10:00", every: 10)
        feed.move("nanjiang", "dongjiang", "10:01", "10:30")
        feed.stay("dongjiang", "10:31", "23:59", every: 10)
        var stranger = SyntheticFeed(mmsi: 413_999_999)
        stranger.move("haihe", "dagang", "09:00", "10:00")
        // Sentences without a time cannot be placed on a track.
        let untimed = feed.lines.prefix(5).map { String($0[$0.index(after: $0.dropFirst().firstIndex(of: "\\")!)...]) }
        let recording = try w.write("feed.nmea", (feed.lines + stranger.lines + untimed).joined(separator: "\n") + "\n")

        let first = try w.run(["ais", "import", recording])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try first.object()
        let stored = summary["stored"] as? Int ?? 0
        #expect(stored > 1_000 && summary["alreadyStored"] as? Int == 0, "\(summary)")
        #expect((summary["thinned"] as? Int ?? 0) > 5_000 && (summary["notRegistered"] as? Int ?? 0) == stranger.lines.count)
        // The untimed copies came thousands of messages after their timed originals: no longer
        // remembered as duplicates, they are dropped for want of a time.
        #expect(summary["noTime"] as? Int == untimed.count, "\(summary)")
        let again = try w.run(["ais", "import", recording]).object()
        #expect(again["stored"] as? Int == 0 && again["alreadyStored"] as? Int == stored)

        let check = try w.run(["ais", "check", "--date", "2026-03-02"])
        #expect(check.status == 0, "\(check.stderr)")
        let result = try check.object()
        let flags = result["discrepancies"] as? [[String: Any]] ?? []
        #expect(flags.map { $0["kind"] as? String } == ["unreported-movement", "unconfirmed-voyage"], "\(flags)")
        #expect(flags.first?["fromArea"] as? String == "nanjiang" && flags.first?["toArea"] as? String == "dongjiang")
        #expect(flags.last?["movementId"] as? String == "M7" && flags.last?["mmsi"] as? Int == CrossCheckTests.tugMMSI)
        let days = result["vesselDays"] as? [[String: Any]] ?? []
        #expect(days.count == 1 && days.first?["confirmed"] as? [String] == ["M1"] && (days.first?["coverage"] as? Double ?? 0) > 0.99)

        let csv = try w.run(["ais", "check", "--date", "2026-03-02", "--format", "csv"])
        let rows = csv.text.split(whereSeparator: \.isNewline)
        #expect(rows.count == 3 && rows[0] == "date,mmsi,kind,from,to,fromArea,toArea,movementId,operator,detail" && rows[2].contains("M7"))
        let coverage = try w.run(["ais", "check", "--date", "2026-03-02", "--format", "csv", "--coverage"]).text.split(whereSeparator: \.isNewline)
        #expect(coverage.count == 2 && coverage[1].hasPrefix("2026-03-02,412000001,"))
        let other = try w.run(["ais", "check", "--date", "2026-03-02", "--vessel", "412000002"]).object()
        #expect((other["vesselDays"] as? [Any])?.isEmpty == true)
        #expect(try w.run(["ais", "check", "--date", "2026-03-02", "--vessel", "12"]).status == 2)
    }
}
