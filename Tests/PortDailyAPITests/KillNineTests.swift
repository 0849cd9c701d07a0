import Foundation
import PortDailySimulation
import PortDailyTestSupport
import Synchronization
import Testing

@Suite("Fault: kill -9 under load", .timeLimit(.minutes(3)))
struct KillNineTests {
    @Test("SIGKILL at random moments while voyages arrive: every acknowledged voyage stored exactly once, retries make no duplicates")
    func killNine() throws {
        let d = try RunningDaemon()
        let token = d.tokens["op1"]!
        let ledger = Ledger()
        let port = d.port
        @Sendable func post(_ id: String) -> Bool {
            let minute = Int(id.dropFirst())! % 1000
            let body = #"{"movementId":"\#(id)","operator":"op1","mmsi":"412000001","job":"escort","departedAt":"2026-03-02T\#(String(format: "%02d:%02d", 1 + minute / 60 % 20, minute % 60)):00+08:00","fromArea":"beijiang","arrivedAt":"2026-03-02T22:30:00+08:00","toArea":"beijiang"}"#
            let answer = try? CommandLineTool.shell(
                "curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST -H 'Authorization: Bearer \(token)' -H 'Content-Type: application/json' --data '\(body)' http://127.0.0.1:\(port)/v1/voyages")
            return answer?.text == "200"
        }
        let writers = (0..<6).map { _ in
            Thread {
                while ledger.running.load(ordering: .relaxed) {
                    let id = "K\(ledger.counter.add(1, ordering: .relaxed).newValue)"
                    if post(id) {
                        ledger.acknowledged.withLock { _ = $0.insert(id) }
                    } else {
                        ledger.unacknowledged.withLock { _ = $0.insert(id) }
                        Thread.sleep(forTimeInterval: 0.02)
                    }
                }
            }
        }
        writers.forEach { $0.start() }
        // The moments of the kills, from a seed every failure names.
        let seed = TestSeed.make()
        var random = SeededGenerator(seed: seed)
        for _ in 0..<4 {
            Thread.sleep(forTimeInterval: Double.random(in: 0.3...0.9, using: &random))
            try d.kill9AndRestart()
        }
        Thread.sleep(forTimeInterval: 0.5)
        ledger.running.store(false, ordering: .relaxed)
        while writers.contains(where: { !$0.isFinished }) { Thread.sleep(forTimeInterval: 0.05) }

        let acked = ledger.acknowledged.withLock { $0 }
        let retries = ledger.unacknowledged.withLock { $0 }
        #expect(acked.count > 10, "seed \(seed) (PORTDAILY_TEST_SEED): too little traffic to mean anything")
        // Retry every unacknowledged submission: each is accepted now or was stored before the kill.
        for id in retries { #expect(post(id), "seed \(seed) (PORTDAILY_TEST_SEED): retry of \(id)") }
        let stored = try d.request("GET", "/v1/voyages?date=2026-03-02", token: token).array.compactMap { $0["movementId"] as? String }
        #expect(stored.count == Set(stored).count, "seed \(seed) (PORTDAILY_TEST_SEED): a voyage stored twice")
        #expect(acked.isSubset(of: Set(stored)), "seed \(seed) (PORTDAILY_TEST_SEED): acknowledged but lost: \(acked.subtracting(stored).sorted().prefix(5))")
        #expect(Set(stored) == acked.union(retries))
        // The report folds exactly the stored voyages.
        let report = try d.request("GET", "/v1/daily-reports/412000001/2026-03-02", token: token).object
        #expect((report["voyages"] as? [[String: Any]])?.count == stored.count)
    }
}

/// What the writers saw: acknowledged and unanswered submissions.
final class Ledger: Sendable {
    let acknowledged = Mutex<Set<String>>([])
    let unacknowledged = Mutex<Set<String>>([])
    let running = Atomic<Bool>(true)
    let counter = Atomic<Int>(0)
}
