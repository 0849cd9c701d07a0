import Foundation
import PortDailyCore
import PortDailyLogging
import PortDailyTestSupport
import Testing

@Suite("Tokens that expire, over HTTP", .timeLimit(.minutes(2)))
struct TokenExpiryAPITests {
    static let day = Instant.millisecondsPerDay

    @Test("an expired token gets 401 saying so; its use before was recorded; the daily warning names it while it is due")
    func expired() async throws {
        let t = try await TestApp.make()
        let issued = t.clock.now
        let (token, secret) = try t.store.issueToken(for: .operator("op1"), name: "dispatch", expiresAt: issued.adding(milliseconds: 3 * Self.day),
                                                     now: issued)
        let fine = try await t.run { c in try await c.request("GET", "/v1/vessels", token: secret) }
        #expect(fine.status == 200)
        // Recorded off the request's path: polled, with a deadline.
        let deadline = ContinuousClock.now + .seconds(10)
        while try t.store.tokens().first(where: { $0.id == token.id })?.lastUsedAt == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try t.store.tokens().first { $0.id == token.id }?.lastUsedAt == issued)

        // Within tokens.warnBefore (14 days in the example configuration): one warning entry for it alone.
        #expect(t.app.tokenExpiry.warn() == 1)
        let warnings = t.log.entries.filter { $0.contains("MESSAGE_ID=\(PortDailyEvent.tokenExpiring.messageID)") }
        #expect(warnings.count == 1 && warnings[0].contains("TOKEN_ID=\(token.id)") && warnings[0].contains("TOKEN_NAME=dispatch"),
                "\(warnings)")
        #expect(!t.log.text.contains(secret), "a secret is never logged")
        // TestApp's own tokens never expire: named together, the revoked one (6) left out.
        let forever = t.log.entries.filter { $0.contains("never expire") }
        #expect(forever.count == 1 && forever[0].contains("TOKEN_IDS=1,2,3,4,5 "), "\(forever)")

        t.clock.advance(milliseconds: 3 * Self.day)
        try await t.run { c in
            let expired = try await c.request("GET", "/v1/vessels", token: secret)
            #expect(expired.status == 401)
            #expect(expired.headers["content-type"] == "application/problem+json")
            let detail = try #require(expired.object["detail"] as? String)
            #expect(detail.contains("expired at \(issued.adding(milliseconds: 3 * Self.day))"), "\(detail)")
            // Revoked and unknown tokens are told no more than before.
            let revoked = try await c.request("GET", "/v1/vessels", token: c.tokens["revoked"])
            #expect(revoked.status == 401 && revoked.object["detail"] as? String == "the token is unknown or revoked")
            // The other tokens (issued without an expiry) work on.
            #expect(try await c.request("GET", "/v1/vessels", token: c.tokens["op1"]).status == 200)
        }
        // Expired: no longer warned of.
        #expect(t.app.tokenExpiry.warn() == 0)
    }

    @Test("each entry a request logs names its actor and client address: the token and its name, never its secret")
    func actorInJournal() async throws {
        let t = try await TestApp.make()
        let op1 = try #require(try t.store.tokens().first { $0.name == "op1" })
        let answer = try await t.run { c in try await c.post([RunningDaemon.voyage("ACT1")], token: c.tokens["op1"]) }
        #expect(answer.status == 200)
        let stored = t.log.entries.filter { $0.contains("MESSAGE_ID=\(PortDailyEvent.batchAccepted.messageID)") }
        #expect(stored.count == 1 && stored[0].contains("ACTOR=token \(op1.id) (op1)") && stored[0].contains("CLIENT_ADDRESS="),
                "\(stored)")
        let secret = try #require(t.tokens["op1"])
        #expect(!t.log.text.contains(secret), "a secret is never logged")
    }
}
