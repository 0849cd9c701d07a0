import Foundation
import PortDailyTestSupport
import Testing

/// The API's limits, as configured, on every route that has one.
@Suite("Limits: one 413 path for every body, the configured page, remark and period", .timeLimit(.minutes(1)))
struct LimitsAPITests {
    @Test("a register entry, a cancellation and an acknowledgement over 64 KiB: 413 with a problem naming the limit")
    func smallBodies() async throws {
        let t = try await TestApp.make()
        try await t.run { c in
            #expect(try await c.post([RunningDaemon.voyage("A1")], token: c.tokens["op1"]).status == 200)
            let big = Data(("{\"reason\":\"" + String(repeating: "x", count: 70_000) + "\"}").utf8)
            for (method, path, who) in [("PUT", "/v1/vessels/412000009", "admin"), ("DELETE", "/v1/voyages/A1", "op1"),
                                        ("POST", "/v1/daily-reports/412000001/2026-03-02/acknowledgements", "beijiang")] {
                let answer = try await c.request(method, path, token: c.tokens[who], body: big, contentType: "application/json")
                #expect(answer.status == 413, "\(method) \(path): \(answer.status)")
                #expect(answer.headers["content-type"] == "application/problem+json")
                #expect(answer.object["detail"] as? String == "the body is larger than 65536 bytes", "\(method) \(path)")
            }
        }
    }

    @Test("the changes page, the remark and the figures period follow the configuration")
    func configured() async throws {
        let t = try await TestApp.make {
            $0.daemon.limits.maxPageSize = 120
            $0.daemon.limits.maxRemarkLength = 5
            $0.daemon.limits.maxFiguresDays = 31
        }
        try await t.run { c in
            #expect(try await c.post([RunningDaemon.voyage("A1")], token: c.tokens["op1"]).status == 200)
            let admin = c.tokens["admin"]
            #expect(try await c.request("GET", "/v1/daily-reports/changes?limit=120", token: admin).status == 200)
            let page = try await c.request("GET", "/v1/daily-reports/changes?limit=121", token: admin)
            #expect(page.status == 400 && page.text.contains("from 1 to 120"), "\(page.text)")
            let path = "/v1/daily-reports/412000001/2026-03-02/acknowledgements"
            let long = try await c.request("POST", path, token: c.tokens["beijiang"], body: Data(#"{"revision":1,"remark":"123456"}"#.utf8),
                                           contentType: "application/json")
            #expect(long.status == 422 && long.text.contains("longer than 5 characters"), "\(long.text)")
            #expect(try await c.request("POST", path, token: c.tokens["beijiang"], body: Data(#"{"revision":1,"remark":"12345"}"#.utf8),
                                        contentType: "application/json").status == 201)
            #expect(try await c.request("GET", "/v1/figures?from=2026-03-01&to=2026-03-31", token: admin).status == 200)
            let period = try await c.request("GET", "/v1/figures?from=2026-03-01&to=2026-04-01", token: admin)
            #expect(period.status == 400 && period.text.contains("at most 31 days"), "\(period.text)")
        }
    }
}
