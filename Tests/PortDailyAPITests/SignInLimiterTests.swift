@testable import PortDailyConsole
import PortDailySimulation
import PortDailyTestSupport
import Testing

/// The console's limit on failed sign-ins, with time passed in (as EntryBudget's test does).
@Suite("Failed sign-ins limited per user name and per address")
struct SignInLimiterTests {
    static let limits = SignInLimiter.Limits(perUser: 3, perAddress: 5, windowMilliseconds: 60_000)

    @Test("per address: other names from one address count too; another address does not")
    func perAddress() {
        let limiter = SignInLimiter()
        for (index, name) in ["a", "b", "c", "d", "e"].enumerated() {
            #expect(limiter.refusal(user: name, address: "10.0.0.9", limits: Self.limits, now: Int64(index)) == nil)
            limiter.failed(user: name, address: "10.0.0.9", limits: Self.limits, now: Int64(index))
        }
        let refused = limiter.refusal(user: "f", address: "10.0.0.9", limits: Self.limits, now: 10)
        #expect(refused?.retryAfter == 60 && refused?.firstOfEpisode == true)
        #expect(limiter.refusal(user: "f", address: "10.0.0.9", limits: Self.limits, now: 11)?.firstOfEpisode == false)
        #expect(limiter.refusal(user: "f", address: "10.0.0.10", limits: Self.limits, now: 11) == nil)
        // The oldest failure leaves the window at 60,000 ms: then one more attempt may be made.
        #expect(limiter.refusal(user: "f", address: "10.0.0.9", limits: Self.limits, now: 60_000) == nil)
    }

    @Test("random attempts: refused exactly when the window holds the limit's number of failures; Retry-After is when it stops")
    func model() {
        let seed = TestSeed.make()
        var random = SeededGenerator(seed: seed)
        for round in 0..<100 {
            let limiter = SignInLimiter()
            var failures: [String: [Int64]] = [:]
            var now: Int64 = 0
            for _ in 0..<300 {
                now += Int64.random(in: 0...(Bool.random(using: &random) ? 2_000 : 40_000), using: &random)
                let user = ["zhang", "li", "wang"].randomElement(using: &random)!
                let address = ["10.0.0.1", "10.0.0.2"].randomElement(using: &random)!
                let keys = [("user:" + user, Self.limits.perUser), ("address:" + address, Self.limits.perAddress)]
                let recent = keys.map { key, limit in (failures[key, default: []].filter { now - $0 < Self.limits.windowMilliseconds }, limit) }
                let expectedWait = recent.compactMap { times, limit in
                    times.count >= limit ? times[times.count - limit] + Self.limits.windowMilliseconds - now : nil
                }.max()
                let refusal = limiter.refusal(user: user, address: address, limits: Self.limits, now: now)
                #expect((refusal != nil) == (expectedWait != nil), "seed \(seed) (PORTDAILY_TEST_SEED), round \(round)")
                if let refusal, let expectedWait {
                    #expect(refusal.retryAfter == Int((expectedWait + 999) / 1000), "seed \(seed), round \(round)")
                    continue
                }
                if Bool.random(using: &random) {
                    limiter.failed(user: user, address: address, limits: Self.limits, now: now)
                    for (key, _) in keys { failures[key, default: []].append(now) }
                } else {
                    limiter.succeeded(user: user, limits: Self.limits)
                    failures["user:" + user] = nil
                }
            }
        }
    }
}
