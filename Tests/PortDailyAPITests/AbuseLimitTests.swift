import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyLogging
import PortDailySimulation
import PortDailyStore
import PortDailyTestSupport
import Synchronization
import Testing

@Suite("Limits on abuse: rate limits per token and address, bad tokens, requests in flight", .timeLimit(.minutes(2)))
struct AbuseLimitTests {
    @Test("a token bucket never lets more through than its burst plus its rate over any stretch of time (seeded)")
    func bucketProperty() {
        let seed = UInt64.random(in: 1...UInt64.max)
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<50 {
            let limit = BucketLimit(perSecond: Double(Int.random(in: 1...50, using: &rng)), burst: Int.random(in: 1...40, using: &rng))
            let limiter = RateLimiter()
            var now: Int64 = 0
            var admitted: [Int64] = []
            for _ in 0..<400 {
                now += Int64.random(in: 0...Int64(2000 / limit.perSecond), using: &rng)
                if let wait = limiter.admit("k", limit: limit, now: now) {
                    #expect(wait >= 1, "seed \(seed)")
                } else {
                    admitted.append(now)
                }
            }
            // Over every stretch [admitted[i], admitted[j]]: at most burst + rate × its length.
            for i in admitted.indices {
                for j in i..<admitted.count {
                    let allowed = Double(limit.burst) + limit.perSecond * Double(admitted[j] - admitted[i]) / 1000
                    #expect(Double(j - i + 1) <= allowed + 1e-9, "seed \(seed): \(j - i + 1) in \(admitted[j] - admitted[i]) ms, limit \(limit)")
                    if Double(j - i + 1) > allowed + 1e-9 { return }
                }
            }
            // Idle long enough to fill again, it lets a whole burst through at once.
            now += Int64(Double(limit.burst) / limit.perSecond * 1000) + 1
            for n in 0..<limit.burst { #expect(limiter.admit("k", limit: limit, now: now) == nil, "seed \(seed): request \(n) of a burst") }
            #expect(limiter.admit("k", limit: limit, now: now) != nil, "seed \(seed): one past the burst")
            // Another key is not touched by this one.
            #expect(limiter.admit("other", limit: limit, now: now) == nil)
        }
    }

    @Test("the wait a refusal names is enough: after it, the key is let through")
    func waitIsEnough() {
        let limit = BucketLimit(perSecond: 0.5, burst: 2)
        let limiter = RateLimiter()
        #expect(limiter.admit("k", limit: limit, now: 0) == nil)
        #expect(limiter.admit("k", limit: limit, now: 0) == nil)
        let wait = limiter.admit("k", limit: limit, now: 0)
        #expect(wait == 2)
        #expect(limiter.admit("k", limit: limit, now: 1999) != nil)
        #expect(limiter.admit("k", limit: limit, now: 2000 + 2000) == nil)
    }

    @Test("bad tokens per address: refused past the limit until the oldest leaves the window, once an episode")
    func badTokenWindow() {
        let window = BadTokenWindow()
        for n in 1...3 { #expect(window.failed("a", window: 10_000, now: Int64(n) * 1000) == n) }
        #expect(window.refusal("a", limit: 4, window: 10_000, now: 3500) == nil)
        window.failed("a", window: 10_000, now: 4000)
        let first = window.refusal("a", limit: 4, window: 10_000, now: 4000)
        #expect(first?.retryAfter == 7 && first?.firstOfEpisode == true)
        #expect(window.refusal("a", limit: 4, window: 10_000, now: 5000)?.firstOfEpisode == false)
        #expect(window.refusal("b", limit: 4, window: 10_000, now: 5000) == nil)
        #expect(window.refusal("a", limit: 4, window: 10_000, now: 11_000) == nil)
    }

    @Test("over HTTP: one token over its limit gets 429 with Retry-After while another goes on; bad tokens close the address, logged once")
    func overHTTP() async throws {
        let t = try await TestApp.make {
            $0.daemon.abuse.perToken = BucketLimit(perSecond: 1, burst: 3)
            $0.daemon.abuse.perAddress = BucketLimit(perSecond: 100, burst: 100)
            $0.daemon.abuse.badTokensPerAddress = 4
            $0.daemon.abuse.badTokenWindowMilliseconds = 60_000
            $0.daemon.abuse.refusalDelayMilliseconds = 200
        }
        try await t.run { c in
            for _ in 1...3 { #expect(try await c.request("GET", "/v1/vessels", token: c.tokens["op1"]).status == 200) }
            let asked = ContinuousClock.now
            let limited = try await c.request("GET", "/v1/vessels", token: c.tokens["op1"])
            #expect(ContinuousClock.now - asked >= .milliseconds(200), "the refusal is held for http.rateLimits.refusalDelay")
            #expect(limited.status == 429 && limited.headers["retry-after"] == "1")
            #expect(limited.headers["content-type"] == "application/problem+json")
            #expect((limited.object["detail"] as? String)?.contains("rate limit") == true)
            // Another token is not held back by the first.
            #expect(try await c.request("GET", "/v1/vessels", token: c.tokens["op2"]).status == 200)
            t.journalClock.advance(milliseconds: 1000)
            #expect(try await c.request("GET", "/v1/vessels", token: c.tokens["op1"]).status == 200)

            // Four bad tokens from the address (the last two a second late each): 401s; then
            // every request from it, even with a good token, is refused until the window passes.
            for n in 1...4 {
                #expect(try await c.request("GET", "/v1/vessels", token: "pd_guess\(n)").status == 401)
            }
            let refused = try await c.request("GET", "/v1/vessels", token: c.tokens["admin"])
            #expect(refused.status == 429 && refused.headers["retry-after"] != nil)
            #expect(try await c.request("GET", "/v1/vessels", token: "pd_guess5").status == 429)
            let logged = t.log.entries.filter { $0.contains("MESSAGE_ID=\(PortDailyEvent.badTokensLimited.messageID)") }
            #expect(logged.count == 1, "\(logged)")
            #expect(!t.log.text.contains("pd_guess"), "tokens are never logged")
            t.journalClock.advance(milliseconds: 61_000)
            #expect(try await c.request("GET", "/v1/vessels", token: c.tokens["admin"]).status == 200)
        }
    }

    @Test("a token's own rate limit replaces the configured one, for it alone")
    func ownRate() async throws {
        let t = try await TestApp.make {
            $0.daemon.abuse.perToken = BucketLimit(perSecond: 1000, burst: 1000)
            $0.daemon.abuse.refusalDelayMilliseconds = 0
        }
        let (_, slow) = try t.store.issueToken(for: .operator("op1"), name: "slow", rate: TokenRate(perSecond: 1, burst: 2),
                                               now: t.clock.now)
        #expect(try t.store.tokens().last?.rate == TokenRate(perSecond: 1, burst: 2))
        try await t.run { c in
            for _ in 1...2 { #expect(try await c.request("GET", "/v1/vessels", token: slow).status == 200) }
            let limited = try await c.request("GET", "/v1/vessels", token: slow)
            #expect(limited.status == 429 && (limited.object["detail"] as? String)?.contains("1 a second, 2 at once") == true,
                    "\(limited.text)")
            for _ in 1...5 { #expect(try await c.request("GET", "/v1/vessels", token: c.tokens["op1"]).status == 200) }
        }
    }

    @Test("requests in flight: writes refused past three quarters of the cap, reads past the cap, /healthz never")
    func loadShedding() async throws {
        var configuration = try ConfigLoader.load(path: TestApp.example)
        configuration.daemon.abuse.maxInFlight = 8
        let guardian = AbuseGuard(configuration: LiveConfiguration(configuration))
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: LoadShedding(guardian: guardian))
        router.get("healthz") { _, _ in "ok" }
        router.get("read") { _, _ in "ok" }
        router.post("write") { _, _ in "ok" }
        try await Application(router: router).test(.router) { client in
            #expect(try await client.execute(uri: "/write", method: .post).status == .ok)
            guardian.inFlight.store(6, ordering: .relaxed)
            let shed = try await client.execute(uri: "/write", method: .post)
            #expect(shed.status == .serviceUnavailable && shed.headers[.retryAfter] == "1")
            #expect(try await client.execute(uri: "/read", method: .get).status == .ok)
            guardian.inFlight.store(8, ordering: .relaxed)
            #expect(try await client.execute(uri: "/read", method: .get).status == .serviceUnavailable)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            guardian.inFlight.store(0, ordering: .relaxed)
            #expect(try await client.execute(uri: "/read", method: .get).status == .ok)
        }
        #expect(guardian.inFlight.load(ordering: .relaxed) == 0, "every request gives its place back")
    }

    @Test("a held refusal gives its place among the requests in flight back first, and is answered no sooner than the delay")
    func heldRefusals() async throws {
        var configuration = try ConfigLoader.load(path: TestApp.example)
        configuration.daemon.abuse.maxInFlight = 4
        configuration.daemon.abuse.refusalDelayMilliseconds = 1500
        let guardian = AbuseGuard(configuration: LiveConfiguration(configuration))
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: LoadShedding(guardian: guardian))
        let holding = Atomic<Int>(0)
        router.get("refused") { _, context -> String in
            holding.add(1, ordering: .relaxed)
            await guardian.holdRefusal(context)
            throw HTTPError(.tooManyRequests)
        }
        router.get("read") { _, _ in "ok" }
        try await Application(router: router).test(.router) { client in
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                // One after another, each once the one before is held: six held at once, more than
                // the cap of 4 (sent together, a fifth could arrive before the first four were held).
                for count in 1...6 {
                    group.addTask { try await client.execute(uri: "/refused", method: .get).status }
                    // A generous deadline: under the whole suite, tests blocking on processes can hold the
                    // cooperative threads for many seconds.
                    #expect(await Poll.until(60) { holding.load(ordering: .relaxed) == count })
                }
                // A read still gets in.
                #expect(guardian.inFlight.load(ordering: .relaxed) == 0)
                #expect(try await client.execute(uri: "/read", method: .get).status == .ok)
                for try await status in group { #expect(status == .tooManyRequests) }
            }
            #expect(ContinuousClock.now - started >= .milliseconds(1500), "a refusal was sent before its delay")
        }
        #expect(guardian.inFlight.load(ordering: .relaxed) == 0, "every place given back once")
    }
}
