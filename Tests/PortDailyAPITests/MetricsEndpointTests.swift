import Foundation
import PortDailyTestSupport
import Testing

/// On a running daemon: the process's metrics registry is global (bootstrapped once per process),
/// and "loopback" is a property of a real connection.
@Suite("The metrics endpoint and the token listing, on a running daemon", .serialized, .timeLimit(.minutes(3)))
struct MetricsEndpointTests {
    @Test("metrics: loopback clients need no token when allowed; otherwise an admin token")
    func metrics() throws {
        let d = try RunningDaemon(metricsFromLoopback: false)
        #expect(try d.request("GET", "/metrics").status == 401)
        #expect(try d.request("GET", "/metrics", token: d.tokens["op1"]).status == 403)
        let admin = try d.request("GET", "/metrics", token: d.tokens["admin"])
        #expect(admin.status == 200)
        #expect(admin.text.contains("portdaily_seal_runs_total"))
        let open = try RunningDaemon()
        #expect(try open.request("GET", "/metrics").status == 200)
        // Group commit's figures, as they stand when scraped.
        for index in 1...3 {
            #expect(try open.post([RunningDaemon.voyage("M\(index)", hour: 6 + index)], token: open.tokens["op1"]).status == 200)
        }
        let scraped = try open.request("GET", "/metrics").text.split(separator: "\n")
        #expect(scraped.contains("portdaily_group_commit_submissions 3.0"), "\(scraped.filter { $0.contains("group_commit") })")
        #expect(scraped.contains { $0.hasPrefix("portdaily_group_commit_transactions ") })
        #expect(scraped.contains("portdaily_group_commit_waiting 0.0"))
        #expect(scraped.contains { $0.hasPrefix("portdaily_wal_checkpoints{by=\"thread\"} ") }, "\(scraped.filter { $0.contains("wal") })")
        #expect(scraped.contains("portdaily_wal_checkpoints_failed 0.0"))
        // The CLI revokes beside the running daemon; its listing never shows a secret.
        let cli = CommandLineTool(name: "portdaily")
        let listed = try cli.run(["tokens", "list"] + open.common)
        let id = try #require(listed.array().first { $0["operator"] as? String == "op2" }?["id"] as? Int)
        #expect(try cli.run(["tokens", "revoke", String(id)] + open.common).status == 0)
        #expect(try open.request("GET", "/v1/vessels", token: open.tokens["op2"]).status == 401)
        #expect(!listed.text.contains("pd_"), "listings never show secrets")
    }
}
