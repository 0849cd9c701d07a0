import Foundation
import PortDailyAIS
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("GET /v1/ais/discrepancies")
struct AISAPITests {
    /// Positions every minute, moored in an area's middle or moving in a straight line between two.
    static func track(_ legs: [(from: String, to: String, start: String, end: String, moving: Bool)],
                      setup: PortSetup) -> [TrackPoint] {
        func centre(_ area: String) -> GeoPoint {
            let ring = setup.area(area)!.boundary!.ring.dropLast()
            return GeoPoint(lon: ring.map(\.lon).reduce(0, +) / Double(ring.count), lat: ring.map(\.lat).reduce(0, +) / Double(ring.count))
        }
        var points: [TrackPoint] = []
        for leg in legs {
            let t0 = Fixture.instant("2026-03-02T\(leg.start):00+08:00"), t1 = Fixture.instant("2026-03-02T\(leg.end):00+08:00")
            let a = centre(leg.from), b = centre(leg.to)
            let step: Int64 = leg.moving ? 20_000 : 60_000
            var at = t0
            while at <= t1 {
                let f = Double(at.millisecondsSinceEpoch - t0.millisecondsSinceEpoch) / Double(t1.millisecondsSinceEpoch - t0.millisecondsSinceEpoch)
                points.append(TrackPoint(at: at, position: GeoPoint(lon: a.lon + (b.lon - a.lon) * f, lat: a.lat + (b.lat - a.lat) * f),
                                         sog: leg.moving ? 8 : 0))
                at = at.adding(milliseconds: step)
            }
        }
        return points
    }

    @Test("the JSON list of a day's reports carries each report's AIS summary once positions exist; the ETag changes with it")
    func lists() async throws {
        let t = try await TestApp.make()
        let setup = t.live.current.setup
        try await t.run { c in
            #expect(try await c.post([RunningDaemon.voyage("A1")], token: c.tokens["op1"]).status == 200)
            let before = try await c.request("GET", "/v1/daily-reports?date=2026-03-02", token: c.tokens["beijiang"])
            #expect(before.status == 200 && !before.text.contains("aisCheck"))
            try t.store.insertPositions(Self.track([("beijiang", "beijiang", "00:00", "23:59", false)], setup: setup).map { (412_000_001, $0) })
            let after = try await c.request("GET", "/v1/daily-reports?date=2026-03-02", token: c.tokens["beijiang"])
            let reports = (try? JSONSerialization.jsonObject(with: after.body)) as? [[String: Any]] ?? []
            #expect(reports.count == 1 && reports.first?["aisCheck"] as? [String: Int] == ["confirmed": 0, "discrepancies": 1, "noCoverage": 0],
                    "\(after.text)")
            #expect(after.headers["etag"] != nil && after.headers["etag"] != before.headers["etag"], "\(after.headers)")
        }
    }

    @Test("each role sees the vessel-days in its scope: an operator its vessels, a bureau those filed with or shared with it or in its waters")
    func scopes() async throws {
        let t = try await TestApp.make()
        let setup = t.live.current.setup
        // The tug (op1): reported A1 08:00-09:00 in Beijiang, stayed moored; moved to Dongjiang at 14:00 unreported.
        let tug = Self.track([("beijiang", "beijiang", "00:00", "13:59", false), ("beijiang", "dongjiang", "14:00", "14:30", true),
                              ("dongjiang", "dongjiang", "14:31", "23:59", false)], setup: setup)
        // The bunker vessel (op2, filed with Dagang): moved Nanjiang -> Haihe (both Nanjiang MSA's), reported nothing.
        let bunker = Self.track([("nanjiang", "nanjiang", "00:00", "09:59", false), ("nanjiang", "haihe", "10:00", "10:40", true),
                                 ("haihe", "haihe", "10:41", "23:59", false)], setup: setup)
        try t.store.insertPositions(tug.map { (412_000_001, $0) } + bunker.map { (412_000_002, $0) })
        try await t.run { c in
            #expect(try await c.post([RunningDaemon.voyage("A1")], token: c.tokens["op1"]).status == 200)
            func check(_ who: String, _ query: String = "date=2026-03-02") async throws -> (days: [Int], kinds: [String], status: Int) {
                let answer = try await c.request("GET", "/v1/ais/discrepancies?\(query)", token: c.tokens[who])
                let body = (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] ?? [:]
                let days = (body["vesselDays"] as? [[String: Any]] ?? []).compactMap { $0["mmsi"] as? Int }
                let kinds = (body["discrepancies"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
                return (days, kinds, answer.status)
            }
            let admin = try await check("admin")
            #expect(admin.status == 200 && admin.days == [412_000_001, 412_000_002])
            #expect(admin.kinds.sorted() == ["unconfirmed-voyage", "unreported-movement", "unreported-movement"])
            #expect(try await check("op1").days == [412_000_001])
            #expect(try await check("op2").days == [412_000_002])
            // Beijiang MSA: the tug's report is filed with it and its track lay in its waters.
            #expect(try await check("beijiang").days == [412_000_001])
            // Dagang MSA: the bunker vessel's home bureau, though it never entered Dagang's waters.
            #expect(try await check("dagang").days == [412_000_002])
            #expect(try await check("admin", "date=2026-03-02&vessel=412000002").days == [412_000_002])
            #expect(try await check("admin", "date=2026-03-03").days == [])
            #expect(try await check("admin", "date=yesterday").status == 400)
            #expect(try await check("admin", "date=2026-03-02&vessel=12").status == 400)
            #expect(try await c.request("GET", "/v1/ais/discrepancies?date=2026-03-02").status == 401)
            // The tug's report carries the day's summary; a day without AIS positions carries none.
            let report = try await c.request("GET", "/v1/daily-reports/412000001/2026-03-02", token: c.tokens["beijiang"])
            let document = (try? JSONSerialization.jsonObject(with: report.body)) as? [String: Any] ?? [:]
            #expect(report.status == 200 && document["aisCheck"] as? [String: Int] == ["confirmed": 0, "discrepancies": 2, "noCoverage": 0],
                    "\(report.text)")
            #expect(try await c.post([RunningDaemon.voyage("B1", day: "2026-03-01")], token: c.tokens["op1"]).status == 200)
            let other = try await c.request("GET", "/v1/daily-reports/412000001/2026-03-01", token: c.tokens["op1"])
            #expect(other.status == 200 && !other.text.contains("aisCheck"))
        }
    }

    @Test("the console's day page marks the vessels whose track differs, within the scope; the report page lists the discrepancies")
    func console() async throws {
        let t = try await TestApp.make()
        let setup = t.live.current.setup
        let tug = Self.track([("beijiang", "beijiang", "00:00", "13:59", false), ("beijiang", "dongjiang", "14:00", "14:30", true),
                              ("dongjiang", "dongjiang", "14:31", "23:59", false)], setup: setup)
        try t.store.insertPositions(tug.map { (412_000_001, $0) })
        try await t.run { c in
            #expect(try await c.post([RunningDaemon.voyage("A1")], token: c.tokens["op1"]).status == 200)
            let officer = ConsoleClient(c.client)
            _ = try await officer.signIn("officer-bj", next: nil)
            let day = try await officer.get("/ui/reports?date=2026-03-02")
            #expect(day.status == 200 && day.text.contains("<tr id=\"report-412000001\" class=\"ais-flagged\">"), "\(day.text)")
            #expect(day.text.contains("id=\"ais-flags\"") && day.text.contains("/ui/reports/412000001/2026-03-02#ais-check"))
            let report = try await officer.get("/ui/reports/412000001/2026-03-02")
            #expect(report.status == 200 && report.text.contains("id=\"ais-check\""))
            #expect(report.text.contains("class=\"unconfirmed-voyage\"") && report.text.contains("class=\"unreported-movement\""))
            #expect(report.text.contains("id=\"ais-confirmed\">0<"))
            // Dagang MSA sees neither the tug's report nor its AIS flags.
            let other = ConsoleClient(c.client)
            _ = try await other.signIn("officer-dg", next: nil)
            let otherDay = try await other.get("/ui/reports?date=2026-03-02")
            #expect(otherDay.status == 200 && !otherDay.text.contains("ais-flagged") && !otherDay.text.contains("ais-flags"))
        }
    }
}
