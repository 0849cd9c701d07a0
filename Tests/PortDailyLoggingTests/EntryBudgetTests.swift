import PortDailyLogging
import PortDailySimulation
import PortDailyTestSupport
import Testing

@Suite("The journal budget of routine entries")
struct EntryBudgetTests {
    @Test("past the limit in a second, entries are left out and their tally rides on the next one written")
    func leavesOutAndCarries() {
        let budget = EntryBudget<Int>(perSecond: 3)
        let start = ContinuousClock.now
        let first = (0..<5).map { budget.admit(10 + $0, at: start + .milliseconds(100 * $0)) }
        #expect(first.map(\.written) == [true, true, true, false, false])
        #expect(first.compactMap(\.carried).isEmpty)
        let next = budget.admit(1, at: start + .milliseconds(1200))
        #expect(next.carried?.entries == 2)
        #expect(next.carried?.tally == 13 + 14)
        // Carried once only.
        #expect(budget.admit(1, at: start + .milliseconds(1201)).written)
        #expect(budget.admit(1, at: start + .milliseconds(1202)).carried == nil)
    }

    @Test("random arrivals: never more than the limit a second, and every tally written or carried exactly once")
    func conservesTallies() {
        let seed = TestSeed.make()
        var random = SeededGenerator(seed: seed)
        for round in 0..<200 {
            let limit = Int.random(in: 1...8, using: &random)
            let budget = EntryBudget<Int>(perSecond: limit)
            let start = ContinuousClock.now
            var clock = Duration.zero
            var written: [Duration] = [], leftOut: [Duration] = []
            var total = 0, accounted = 0, pending = 0
            for _ in 0..<Int.random(in: 1...400, using: &random) {
                clock += .microseconds(Int.random(in: 0...(Bool.random(using: &random) ? 20_000 : 400_000), using: &random))
                let tally = Int.random(in: 1...1000, using: &random)
                total += tally
                let admission = budget.admit(tally, at: start + clock)
                if admission.written {
                    written.append(clock)
                    accounted += tally + (admission.carried?.tally ?? 0)
                    #expect((admission.carried?.tally ?? 0) == pending, "seed \(seed) (PORTDAILY_TEST_SEED), round \(round)")
                    pending = 0
                } else {
                    leftOut.append(clock)
                    pending += tally
                }
            }
            #expect(accounted + pending == total, "seed \(seed) (PORTDAILY_TEST_SEED), round \(round)")
            // Any limit + 1 entries written span at least a second.
            for (i, time) in written.enumerated() where i + limit < written.count {
                #expect(written[i + limit] - time >= .seconds(1), "seed \(seed) (PORTDAILY_TEST_SEED), round \(round): \(limit + 1) entries within a second")
            }
            // Nothing is left out while the second's allowance lasts: a left-out entry follows
            // `limit` written ones within the second before it.
            for time in leftOut {
                #expect(written.filter { $0 <= time && time - $0 < .seconds(1) }.count >= limit, "seed \(seed) (PORTDAILY_TEST_SEED), round \(round)")
            }
        }
    }
}

extension EntryBudget.Admission {
    var written: Bool { if case .write = self { true } else { false } }
    var carried: EntryBudget.Unlogged? { if case .write(let unlogged) = self { unlogged } else { nil } }
}
