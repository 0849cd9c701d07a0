import Foundation
import PortDailyTestSupport
import Testing

/// The daemon restarted on a database file made immutable (`chattr +i`, which binds root too).
@Suite("Fault: the daemon on a read-only store", .enabled(if: Immutable.available), .timeLimit(.minutes(3)))
struct ReadOnlyStoreAPITests {
    /// Today in the example configuration's zone, by the wall clock the daemon reads: an open day.
    static var todayInTianjin: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    @Test("a read-only store: 503 with Retry-After and a problem body for every write, reads and health served, logged once; accepted again once writable")
    func readOnlyStore() throws {
        let d = try RunningDaemon()
        #expect(try d.post([RunningDaemon.voyage("BEFORE")], token: d.tokens["op1"]).status == 200)
        // An open day's voyage, whose report is folded when first read: here, only once writable again.
        let today = Self.todayInTianjin
        #expect(try d.post([RunningDaemon.voyage("OPEN", day: today)], token: d.tokens["op1"]).status == 200)
        try d.restart { try Immutable.set(true, d.database) }
        defer { try? Immutable.set(false, d.database) }

        #expect(try d.request("GET", "/healthz").status == 200)
        let reports = try d.request("GET", "/v1/daily-reports?date=2026-03-02", token: d.tokens["beijiang"])
        #expect(reports.status == 200 && reports.text.contains("BEFORE"))
        // The open day cannot be folded: its reports are served as last folded (none yet), not as an error.
        for _ in 1...3 {
            let open = try d.request("GET", "/v1/daily-reports?date=\(today)", token: d.tokens["beijiang"])
            #expect(open.status == 200 && !open.text.contains("OPEN"), "\(open.status) \(open.text)")
        }
        for id in ["RO1", "RO2", "RO3"] {
            let refused = try d.post([RunningDaemon.voyage(id, hour: 11)], token: d.tokens["op1"])
            #expect(refused.status == 503, "\(refused.text)")
            #expect(refused.headers["retry-after"] == "30")
            #expect(refused.headers["content-type"] == "application/problem+json")
        }
        // Other writes are refused the same way, not as internal errors.
        let ack = try d.request("POST", "/v1/daily-reports/412000001/2026-03-02/acknowledgements", token: d.tokens["beijiang"],
                                body: Data(#"{"revision":1}"#.utf8), contentType: "application/json")
        #expect(ack.status == 503, "\(ack.text)")
        let log = d.daemon.log
        #expect(log.components(separatedBy: "opened read-only; reads are served").count - 1 == 1, "\(log)")
        #expect(log.components(separatedBy: "the store cannot write").count - 1 == 1, "logged once, not per request: \(log)")

        try Immutable.set(false, d.database)
        var accepted: RunningDaemon.Answer?
        for _ in 0..<50 where accepted?.status != 200 {
            accepted = try d.post([RunningDaemon.voyage("AFTER", hour: 12)], token: d.tokens["op1"])
            if accepted?.status != 200 { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(accepted?.status == 200, "\(accepted?.text ?? "")")
        #expect(d.daemon.log.contains("can be written again"))
        let voyages = try d.request("GET", "/v1/voyages?date=2026-03-02", token: d.tokens["admin"]).text
        #expect(voyages.contains("BEFORE") && voyages.contains("AFTER"))
        let open = try d.request("GET", "/v1/daily-reports?date=\(today)", token: d.tokens["beijiang"])
        #expect(open.status == 200 && open.text.contains("OPEN"), "folded once writable: \(open.text)")
        #expect(!voyages.contains("RO1") && !voyages.contains("RO2") && !voyages.contains("RO3"), "nothing half-written")
    }
}
