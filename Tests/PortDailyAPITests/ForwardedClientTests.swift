import Foundation
import HummingbirdTesting
import PortDailyConfig
import PortDailyCore
import PortDailyLogging
import Testing

/// Behind a reverse proxy: `X-Forwarded-For` names the client only when the peer is a trusted
/// proxy, and then every per-address decision (loopback-only metrics, address limits, the
/// journal's CLIENT_ADDRESS) is about that client. On a real loopback socket.
@Suite("The client behind a trusted reverse proxy", .timeLimit(.minutes(1)))
struct ForwardedClientTests {
    @Test("without trusted proxies the header is ignored, and a loopback peer forwarding for someone loses its loopback standing")
    func untrusted() async throws {
        let t = try await TestApp.make()
        try await t.run(.live) { c in
            #expect(try await c.request("GET", "/metrics").status == 200)
            #expect(try await c.request("GET", "/metrics", headers: ["X-Forwarded-For": "127.0.0.1"]).status == 401)
            #expect(try await c.request("GET", "/metrics", headers: ["X-Forwarded-For": "203.0.113.7"]).status == 401)
            let answer = try await c.request("POST", "/v1/voyages", token: c.tokens["op1"],
                                             body: Data(RunningDaemon.voyage("FWD1").utf8), contentType: "application/x-ndjson",
                                             headers: ["X-Forwarded-For": "203.0.113.7"])
            #expect(answer.status == 200, "\(answer.text)")
        }
        // The header did not change the address the journal names.
        #expect(t.log.entries.contains { $0.contains("CLIENT_ADDRESS=127.0.0.1") })
        #expect(!t.log.text.contains("CLIENT_ADDRESS=203.0.113.7"))
    }

    @Test("from a trusted proxy: the rightmost untrusted address is the client, for loopback checks, limits and the journal")
    func trusted() async throws {
        let t = try await TestApp.make {
            $0.daemon.trustedProxies = ["127.0.0.1", "192.0.2.10"]
            $0.daemon.abuse.perAddress = BucketLimit(perSecond: 0.01, burst: 2)
        }
        try await t.run(.live) { c in
            #expect(try await c.request("GET", "/metrics", headers: ["X-Forwarded-For": "203.0.113.7"]).status == 401)
            #expect(try await c.request("GET", "/metrics", headers: ["X-Forwarded-For": "127.0.0.1"]).status == 200)
            // A client, then a second trusted proxy: the client is the one before it.
            #expect(try await c.request("GET", "/metrics", headers: ["X-Forwarded-For": "198.51.100.1, 192.0.2.10"]).status == 401)
            // A spoofed leftmost entry does not help: the proxy appended the real peer.
            #expect(try await c.request("GET", "/metrics", headers: ["X-Forwarded-For": "127.0.0.1, 203.0.113.9"]).status == 401)
            let bad = try await c.request("GET", "/healthz", headers: ["X-Forwarded-For": "not-an-address"])
            #expect(bad.status == 400)
            #expect((bad.object["detail"] as? String)?.contains("not-an-address") == true, "\(bad.text)")

            // Each forwarded client has its own allowance of requests without a valid token.
            for _ in 1...2 {
                #expect(try await c.request("GET", "/v1/vessels", headers: ["X-Forwarded-For": "203.0.113.7"]).status == 401)
            }
            #expect(try await c.request("GET", "/v1/vessels", headers: ["X-Forwarded-For": "203.0.113.7"]).status == 429)
            #expect(try await c.request("GET", "/v1/vessels", headers: ["X-Forwarded-For": "[2001:db8::1]:443"]).status == 401)
            let submitted = try await c.request("POST", "/v1/voyages", token: c.tokens["op1"],
                                                body: Data(RunningDaemon.voyage("FWD2").utf8), contentType: "application/x-ndjson",
                                                headers: ["X-Forwarded-For": "198.51.100.20:5123"])
            #expect(submitted.status == 200, "\(submitted.text)")
        }
        #expect(t.log.entries.contains { $0.contains("CLIENT_ADDRESS=198.51.100.20") && $0.contains("ACTOR=token") },
                "\(t.log.entries.suffix(5))")
    }
}
