import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortDailyTestSupport
import Testing

/// The same application on a real socket (HummingbirdTesting's live server on an ephemeral
/// loopback port): what the router tests cannot see, such as the connection's headers.
@Suite("The assembled application on a real socket", .timeLimit(.minutes(1)))
struct LiveSocketTests {
    @Test("health, a submission and its report over TCP; the server dates every answer")
    func overTCP() async throws {
        let t = try await TestApp.make()
        let tokens = t.tokens
        try await t.app.test(.live) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.headers[.date] != nil)
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(tokens["op1"]!)"
            headers[.contentType] = "application/x-ndjson"
            let submitted = try await client.execute(uri: "/v1/voyages", method: .post, headers: headers,
                                                     body: ByteBuffer(string: RunningDaemon.voyage("L1")))
            #expect(submitted.status == .ok, "\(String(buffer: submitted.body))")
            headers[.contentType] = nil
            let report = try await client.execute(uri: "/v1/daily-reports/412000001/2026-03-02", method: .get, headers: headers)
            #expect(report.status == .ok)
            #expect(String(buffer: report.body).contains("\"L1\""))
        }
    }
}
