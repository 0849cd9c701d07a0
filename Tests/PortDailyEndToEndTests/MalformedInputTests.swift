import Foundation
import PortDailyTestSupport
import Testing

/// A corpus of broken input (issue 7): every bad record gets a clear error with its line and
/// field, and the store ends up with exactly the valid records.
@Suite("Malformed input corpus", .timeLimit(.minutes(3)))
struct MalformedInputTests {
    static let good = #"{"movementId":"OK%d","operator":"op1","mmsi":"412000001","job":"escort","departedAt":"2026-03-02T08:00:00+08:00","fromArea":"beijiang","arrivedAt":"2026-03-02T09:00:00+08:00","toArea":"beijiang"}"#

    static func good(_ n: Int) -> String { good.replacingOccurrences(of: "%d", with: String(n)) }

    /// Each case: the bytes of one NDJSON line and the field its error must name.
    static let ndjsonCases: [(name: String, line: [UInt8], field: String)] = [
        ("truncated", Array(good(0).utf8.prefix(60)), "record"),
        ("binary", [0x00, 0xFF, 0x13, 0x37, 0x80, 0x81], "record"),
        ("wrong encoding (Latin-1 é)", Array(#"{"movementId":"L1","remarks":"caf"#.utf8) + [0xE9] + Array(#""}"#.utf8), "record"),
        ("deeply nested", Array(("{\"remarks\":" + String(repeating: "[", count: 50_000)).utf8), "remarks"),
        ("gigantic number", Array(good(0).replacingOccurrences(of: "\"job\":\"escort\"", with: "\"job\":\"escort\",\"personsAboard\":1e999999").utf8), "personsAboard"),
        ("future date", Array(good(0).replacingOccurrences(of: "2026-03-02T", with: "2099-03-02T").utf8), "departedAt"),
        ("ancient date", Array(good(0).replacingOccurrences(of: "2026-03-02T", with: "1899-03-02T").utf8), "departedAt"),
        ("huge line", Array(("{\"remarks\":\"" + String(repeating: "x", count: 2 << 20) + "\"}").utf8), "record"),
        ("array not object", Array("[1,2,3]".utf8), "record"),
    ]

    @Test("NDJSON: each broken line is refused naming its line and field; only valid lines are stored")
    func ndjsonCorpus() throws {
        let w = try Workspace()
        try w.loadRegister()
        var file: [UInt8] = Array(("\u{FEFF}" + Self.good(1) + "\r\n").utf8)
        var expected: [(Int, String)] = []
        for (index, item) in Self.ndjsonCases.enumerated() {
            file += item.line + [0x0A]
            expected.append((index + 2, item.field))
        }
        // Every required field missing in turn.
        let required = ["movementId", "operator", "mmsi", "job", "departedAt", "fromArea", "arrivedAt", "toArea"]
        for field in required {
            var object = try JSONSerialization.jsonObject(with: Data(Self.good(50).utf8)) as! [String: String]
            object.removeValue(forKey: field)
            file += Array(try JSONSerialization.data(withJSONObject: object)) + [0x0A]
            expected.append((expected.count + 2, field))
        }
        file += Array((Self.good(2) + "\n").utf8)
        let path = w.path("corpus.ndjson")
        try Data(file).write(to: URL(fileURLWithPath: path))
        let result = try w.portdaily(["voyages", "import", path])
        #expect(result.status == 1)
        let summary = try result.object()
        #expect(summary["accepted"] as? Int == 2)
        let rejections = (summary["rejections"] as? [[String: Any]] ?? []).map { ($0["line"] as? Int ?? 0, $0["field"] as? String ?? "") }
        #expect(rejections.map(\.0) == expected.map(\.0))
        for ((line, field), (expectedLine, expectedField)) in zip(rejections, expected) {
            #expect(line == expectedLine && field == expectedField, "line \(line): \(field), expected \(expectedField)")
        }
        let stored = try w.portdaily(["reports", "--date", "2026-03-02"]).array()
        #expect((stored.first?["voyages"] as? [[String: Any]])?.compactMap { $0["movementId"] as? String } == ["OK1", "OK2"])
    }

    @Test("CSV: quoted commas and CRLF are fine; a short row, an unclosed quote and bad values are refused by row")
    func csvCorpus() throws {
        let w = try Workspace()
        try w.loadRegister()
        let header = "movementId,operator,mmsi,job,departedAt,fromArea,arrivedAt,toArea,remarks"
        let rows = [
            #"C1,op1,412000001,escort,2026-03-02T08:00:00+08:00,beijiang,2026-03-02T09:00:00+08:00,beijiang,"late, ""tide"" turned""#,
            "C2,op1,412000001,escort",
            "C3,op1,412000001,escort,2026-03-02T10:00:00+08:00,beijiang,2026-03-02T11:00:00+08:00,beijiang,fine",
            "C4,op1,412000001,escort,2026-03-02T12:00:00+08:00,beijiang,2026-03-02T13:00:00+08:00,beijing,typo",
            #"C5,op1,412000001,escort,2026-03-02T14:00:00+08:00,beijiang,2026-03-02T15:00:00+08:00,beijiang,"never closed"#,
        ]
        let path = try w.write("corpus.csv", "\u{FEFF}" + ([header] + rows).joined(separator: "\r\n") + "\r\n")
        let summary = try w.portdaily(["voyages", "import", path]).object()
        #expect(summary["accepted"] as? Int == 2)
        let rejections = (summary["rejections"] as? [[String: Any]] ?? []).map { "\($0["line"] ?? 0):\($0["field"] ?? "")" }
        #expect(rejections == ["2:record", "4:toArea", "5:record"])
        let voyages = try w.portdaily(["reports", "--date", "2026-03-02"]).array().first?["voyages"] as? [[String: Any]]
        #expect(voyages?.first?["remarks"] as? String == #"late, "tide" turned"#)
    }
}
