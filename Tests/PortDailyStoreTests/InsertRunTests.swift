import Foundation
import GRDB
import PortDailyCore
import PortDailySimulation
import PortDailyStore
import PortDailyTestSupport
import Testing

/// The store writes new voyages a run at a time (one statement for many rows) and falls back to
/// one at a time when a run holds a voyage stored already: the outcomes and the stored rows must
/// be what one-at-a-time rules give, whatever the mix.
@Suite("Voyages stored a run at a time")
struct InsertRunTests {
    /// What the store must say of each voyage and keep, by the rules alone.
    struct Model {
        var stored: [VoyageKey: Voyage] = [:]
        var cancelled: Set<VoyageKey> = []

        mutating func outcome(of voyage: Voyage) -> String {
            if cancelled.contains(voyage.key) { return "rejected" }
            switch stored[voyage.key] {
            case nil: stored[voyage.key] = voyage; return "accepted"
            case voyage: return "duplicate"
            default: stored[voyage.key] = voyage; return "corrected"
            }
        }
    }

    static func kind(_ outcome: IngestOutcome) -> String {
        switch outcome {
        case .accepted: "accepted"
        case .duplicate: "duplicate"
        case .corrected: "corrected"
        case .rejected: "rejected"
        }
    }

    @Test("random batches of new, resent, corrected, repeated and cancelled voyages give the model's outcomes and rows")
    func agreesWithModel() throws {
        let t = try TestStore()
        var rng = SeededGenerator(seed: 20261127)
        var model = Model()
        var sent: [Voyage] = []
        var next = 0
        func newVoyage() -> Voyage {
            next += 1
            return Fixture.voyage("R\(next)", vessel: Bool.random(using: &rng) ? Fixture.tug : Fixture.bunker,
                                  departed: String(format: "2026-03-%02dT%02d:%02d:00+08:00", Int.random(in: 1...28, using: &rng),
                                                   Int.random(in: 0...22, using: &rng),
                                                   Int.random(in: 0...59, using: &rng)),
                                  minutes: Int64.random(in: 5...50, using: &rng))
        }
        func changed(_ voyage: Voyage) -> Voyage {
            var copy = voyage
            copy.personsAboard = (voyage.personsAboard ?? 0) + Int.random(in: 1...3, using: &rng)
            return copy
        }
        var runsOfNew = 0
        for round in 0..<16 {
            // Rounds alternate between new voyages only, nearly only (whole runs of new ones, and
            // runs with one resend) and mixes.
            let newShare = [1, 0.5, 0.995, 0.5][round % 4]
            var batch: [Voyage] = []
            for _ in 0..<Int.random(in: 1...400, using: &rng) {
                let voyage: Voyage
                if sent.isEmpty && batch.isEmpty || Double.random(in: 0..<1, using: &rng) < newShare {
                    voyage = newVoyage()
                } else {
                    let earlier = (sent + batch).randomElement(using: &rng)!
                    voyage = Bool.random(using: &rng) ? earlier : changed(earlier)
                }
                batch.append(voyage)
            }
            let expected = batch.map { model.outcome(of: $0) }
            runsOfNew += stride(from: 0, to: batch.count - 63, by: 64).count { expected[$0..<($0 + 64)].allSatisfy { $0 == "accepted" } }
            let result = try t.ingest(batch)
            #expect(result.outcomes.map { Self.kind($0.outcome) } == expected, "round \(round)")
            #expect(result.outcomes.map(\.line) == Array(1...batch.count))
            // The days the batch changed were folded with it: every stored voyage is in its day's report, once.
            let reported = try t.store.latestReports(ReportFilter()).flatMap { $0.report.voyages.map(\.key) }
            #expect(reported.count == Set(reported).count)
            #expect(Set(reported) == Set(model.stored.keys).subtracting(model.cancelled), "round \(round)")
            sent += batch
            if let victim = model.stored.keys.filter({ !model.cancelled.contains($0) }).randomElement(using: &rng) {
                try t.store.cancel(victim, reason: "test", rules: t.rules, now: TestStore.receipt)
                model.cancelled.insert(victim)
            }
        }
        #expect(runsOfNew > 20)
        let rows = try t.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT operator, movementId, personsAboard, cancelled FROM voyage")
        }
        #expect(rows.count == model.stored.count)
        for row in rows {
            let key = VoyageKey(operator: row["operator"], movementId: row["movementId"])
            #expect(model.stored[key]?.personsAboard == row["personsAboard"], "\(key)")
            #expect((row["cancelled"] as Int64) == (model.cancelled.contains(key) ? 1 : 0), "\(key)")
        }
    }
}
