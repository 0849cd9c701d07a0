import Foundation
import PortDailyTestSupport
import Testing

/// An open day's submissions leave their reports to be folded when read: every read must still
/// show every voyage acknowledged before it. The clock is set: "today" is 2026-03-02 in Tianjin.
@Suite("Open days over HTTP: reads show every acknowledged voyage", .timeLimit(.minutes(3)))
struct OpenDayAPITests {
    static let today = "2026-03-02"
    static let yesterday = "2026-03-01"
    static let noon = "2026-03-02T12:00:00+08:00"

    static func voyageCount(_ document: [String: Any]) -> Int { (document["voyages"] as? [Any])?.count ?? -1 }

    @Test("single report, list (JSON and CSV) and changes each fold what was submitted since the last read")
    func readsFoldStaleDays() async throws {
        let t = try await TestApp.make(now: Self.noon)
        let day = Self.today
        try await t.run { c in
            @Sendable func submit(_ id: String, tug: Bool, hour: Int) async throws {
                let voyage = tug ? RunningDaemon.voyage(id, day: day, hour: hour)
                    : RunningDaemon.voyage(id, mmsi: "412000002", op: "op2", day: day, hour: hour, from: "dagang", to: "dagang")
                #expect(try await c.post([voyage], token: c.tokens[tug ? "op1" : "op2"]).status == 200)
            }
            for hour in 1...3 { try await submit("T\(hour)", tug: true, hour: hour) }
            try await submit("B1", tug: false, hour: 1)

            // One report: the vessel-day it names.
            let single = try await c.request("GET", "/v1/daily-reports/412000001/\(day)", token: c.tokens["op1"]).object
            #expect(Self.voyageCount(single) == 3)
            #expect(single["revision"] as? Int == 1)
            #expect(single["late"] as? Bool == false)

            // A list of the date, in JSON and in CSV.
            try await submit("T4", tug: true, hour: 4)
            let listed = try await c.request("GET", "/v1/daily-reports?date=\(day)", token: c.tokens["admin"]).array
            #expect(listed.map(Self.voyageCount) == [4, 1])
            try await submit("T5", tug: true, hour: 5)
            let csv = try await c.request("GET", "/v1/daily-reports?date=\(day)&format=csv", token: c.tokens["beijiang"])
            let rows = String(decoding: csv.body, as: UTF8.self).split(separator: "\r\n").dropFirst()
            #expect(rows.count == 1)
            #expect(rows.first?.contains("T5") == true, "the tug's row lists T5: \(rows)")

            // The changes feed: every report, and a report again after it changed.
            let first = try await c.request("GET", "/v1/daily-reports/changes?since=0", token: c.tokens["admin"]).object
            let items = first["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["reportId"] as? String } == ["D-412000002-\(day)", "D-412000001-\(day)"])
            #expect(items.last.map(Self.voyageCount) == 5)
            try await submit("B2", tug: false, hour: 2)
            let next = try await c.request("GET", "/v1/daily-reports/changes?since=\(first["next"] as? String ?? "")",
                                           token: c.tokens["dagang"]).object
            let again = next["items"] as? [[String: Any]] ?? []
            #expect(again.map { $0["reportId"] as? String } == ["D-412000002-\(day)"])
            #expect(again.first.map(Self.voyageCount) == 2)
            #expect(again.first?["revision"] as? Int == 1, "an open day's revision 1 is replaced in place")

            // The CLI beside the application, on the same file.
            try await submit("T6", tug: true, hour: 6)
            let cli = try CommandLineTool(name: "portdaily")
                .run(["reports", "--date", day, "--vessel", "412000001", "--config", TestApp.example, "--database", t.database])
                .array()
            #expect(cli.map(Self.voyageCount) == [6])
        }
    }

    @Test("the seal check folds past days left stale, with no read; today's wait for their first read",
          .enabled(if: SQLiteProbe.available))
    func sealCheckCatchesUp() async throws {
        // Yesterday stays open all day long (due only in the last second of today).
        let t = try await TestApp.make(now: Self.noon) { $0.sealGraceMilliseconds = 86_399_000 }
        // Straight from the file: no request may fold anything.
        let query = """
            SELECT (SELECT group_concat(date(reportDate * 86400, 'unixepoch')) FROM staleDay),
                   (SELECT group_concat(date(reportDate * 86400, 'unixepoch')) FROM reportRevision)
            """
        try await t.run { c in
            #expect(try await c.post([RunningDaemon.voyage("Y1", day: Self.yesterday)], token: c.tokens["op1"]).status == 200)
            #expect(try await c.post([RunningDaemon.voyage("T1", day: Self.today)], token: c.tokens["op1"]).status == 200)
            #expect(try SQLiteProbe.firstRow(t.database, "SELECT (SELECT COUNT(*) FROM staleDay), (SELECT COUNT(*) FROM reportRevision)")
                    == "2 0", "both days stale after the submissions, neither folded")
            await t.app.sealer.check()
            #expect(try SQLiteProbe.firstRow(t.database, query) == "\(Self.today) \(Self.yesterday)",
                    "stale days, then days with a report")
            // Two more checks, an hour apart, leave today's day to its first read.
            for _ in 0..<2 {
                t.clock.advance(milliseconds: 3_600_000)
                await t.app.sealer.check()
            }
            #expect(try SQLiteProbe.firstRow(t.database, query) == "\(Self.today) \(Self.yesterday)")
            let report = try await c.request("GET", "/v1/daily-reports/412000001/\(Self.today)", token: c.tokens["admin"])
            #expect(report.status == 200)
            #expect(try SQLiteProbe.firstRow(t.database, "SELECT COUNT(*) FROM staleDay") == "0")
        }
    }
}
