import Foundation
import PortDailyAIS
import PortDailyTestSupport
import Testing

@Suite("portdaily ais decode")
struct DecodeCommandTests {
    @Test("prints one JSON object a message and the summary on stderr; a file and standard input give the same")
    func decode() throws {
        let path = AISFixtures.recording("risky-ais-excerpt.nmea")
        let tool = CommandLineTool(name: "portdaily")
        let fromFile = try tool.run(["ais", "decode", path])
        let fromStdin = try tool.run(["ais", "decode", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(fromFile.status == 0 && fromStdin.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stdout == fromStdin.stdout && fromFile.stderr == fromStdin.stderr)
        let printed = AISFixtures.ndjson(fromFile.stdout)
        let inProcess = try AISFixtures.decode(file: path, keepDuplicates: false)
        #expect(printed.count == inProcess.messages.count && printed.count > 500)
        #expect(fromFile.text.split(separator: "\n").count == printed.count)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(fromFile.stderr.utf8)) as? [String: Any])
        #expect(summary["lines"] as? Int == 1_200 && summary["decoded"] as? Int == printed.count)
        #expect((summary["duplicates"] as? Int ?? 0) > 0 && (summary["refused"] as? [String: Int])?["checksum"] == 1)
        #expect((summary["skippedTypes"] as? [String: Int])?["21"] != nil)
        let all = try tool.run(["ais", "decode", "--keep-duplicates", path])
        #expect(AISFixtures.ndjson(all.stdout).count == printed.count + (summary["duplicates"] as? Int ?? 0))
    }

    @Test("a file that cannot be read is a usage error, named")
    func missing() throws {
        let run = try CommandLineTool(name: "portdaily").run(["ais", "decode", "/nonexistent/feed.nmea"])
        #expect(run.status == 2 && run.stderr.contains("/nonexistent/feed.nmea"))
    }
}
