import Foundation
import PortDailyTestSupport
import Testing

/// An open day's submissions leave their reports to be folded when read: every read must still
/// show every voyage acknowledged before it.
@Suite("Open days over HTTP: reads show every acknowledged voyage", .serialized)
struct OpenDayAPITests {
    /// Today in the example configuration's zone: open until tomorrow's sealing.
    static var today: String { day(daysAgo: 0) }

    static func day(daysAgo: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let date = calendar.date(byAdding: .day, value: -daysAgo, to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    static func voyageCount(_ document: [String: Any]) -> Int { (document["voyages"] as? [Any])?.count ?? -1 }

    @Test("single report, list (JSON and CSV) and changes each fold what was submitted since the last read")
    func readsFoldStaleDays() throws {
        let d = try RunningDaemon()
        let day = Self.today
        func submit(_ id: String, tug: Bool, hour: Int) throws {
            let voyage = tug ? RunningDaemon.voyage(id, day: day, hour: hour)
                : RunningDaemon.voyage(id, mmsi: "412000002", op: "op2", day: day, hour: hour, from: "dagang", to: "dagang")
            #expect(try d.post([voyage], token: d.tokens[tug ? "op1" : "op2"]).status == 200)
        }
        for hour in 1...3 { try submit("T\(hour)", tug: true, hour: hour) }
        try submit("B1", tug: false, hour: 1)

        // One report: the vessel-day it names.
        let single = try d.request("GET", "/v1/daily-reports/412000001/\(day)", token: d.tokens["op1"]).object
        #expect(Self.voyageCount(single) == 3)
        #expect(single["revision"] as? Int == 1)
        #expect(single["late"] as? Bool == false)

        // A list of the date, in JSON and in CSV.
        try submit("T4", tug: true, hour: 4)
        let listed = try d.request("GET", "/v1/daily-reports?date=\(day)", token: d.tokens["admin"]).array
        #expect(listed.map(Self.voyageCount) == [4, 1])
        try submit("T5", tug: true, hour: 5)
        let csv = try d.request("GET", "/v1/daily-reports?date=\(day)&format=csv", token: d.tokens["beijiang"])
        let rows = String(decoding: csv.body, as: UTF8.self).split(separator: "\r\n").dropFirst()
        #expect(rows.count == 1)
        #expect(rows.first?.contains("T5") == true, "the tug's row lists T5: \(rows)")

        // The changes feed: every report, and a report again after it changed.
        let first = try d.request("GET", "/v1/daily-reports/changes?since=0", token: d.tokens["admin"]).object
        let items = first["items"] as? [[String: Any]] ?? []
        #expect(items.map { $0["reportId"] as? String } == ["D-412000002-\(day)", "D-412000001-\(day)"])
        #expect(items.last.map(Self.voyageCount) == 5)
        try submit("B2", tug: false, hour: 2)
        let next = try d.request("GET", "/v1/daily-reports/changes?since=\(first["next"] as? String ?? "")",
                                 token: d.tokens["dagang"]).object
        let again = next["items"] as? [[String: Any]] ?? []
        #expect(again.map { $0["reportId"] as? String } == ["D-412000002-\(day)"])
        #expect(again.first.map(Self.voyageCount) == 2)
        #expect(again.first?["revision"] as? Int == 1, "an open day's revision 1 is replaced in place")

        // The CLI beside the running daemon, on the same file.
        try submit("T6", tug: true, hour: 6)
        let cli = try CommandLineTool(name: "portdaily").run(["reports", "--date", day, "--vessel", "412000001"] + d.common).array()
        #expect(cli.map(Self.voyageCount) == [6])
    }

    @Test("the daemon's seal check folds past days left stale, with no read; today's wait for their first read",
          .timeLimit(.minutes(1)), .enabled(if: SQLiteProbe.available))
    func sealCheckCatchesUp() throws {
        // Yesterday stays open all day long (due only in the last second of today).
        let d = try RunningDaemon(sealCheck: "1s", sealGrace: "86399s")
        let yesterday = Self.day(daysAgo: 1)
        #expect(try d.post([RunningDaemon.voyage("Y1", day: yesterday)], token: d.tokens["op1"]).status == 200)
        #expect(try d.post([RunningDaemon.voyage("T1", day: Self.today)], token: d.tokens["op1"]).status == 200)
        // Straight from the file: no request may fold anything.
        let query = """
            SELECT (SELECT group_concat(date(reportDate * 86400, 'unixepoch')) FROM staleDay),
                   (SELECT group_concat(date(reportDate * 86400, 'unixepoch')) FROM reportRevision)
            """
        var state = ""
        for _ in 0..<100 where state != "\(Self.today) \(yesterday)" {
            Thread.sleep(forTimeInterval: 0.1)
            state = try SQLiteProbe.firstRow(d.database, query)
        }
        #expect(state == "\(Self.today) \(yesterday)", "stale days, then days with a report: \(state)")
        // Two more checks leave today's day to its first read.
        Thread.sleep(forTimeInterval: 2.5)
        #expect(try SQLiteProbe.firstRow(d.database, query) == "\(Self.today) \(yesterday)")
        let report = try d.request("GET", "/v1/daily-reports/412000001/\(Self.today)", token: d.tokens["admin"])
        #expect(report.status == 200)
        #expect(try SQLiteProbe.firstRow(d.database, "SELECT COUNT(*) FROM staleDay") == "0")
    }
}
