import Foundation
import PortDailyCore
import PortDailySimulation
import PortDailyStore
import PortDailyTestSupport
import Testing

/// The queries by date walk the vessels that have voyages (there is no index on the date alone):
/// each must see every vessel, the first and the last by MMSI too, and vessels no longer in the
/// register. Expected results are computed here from the generated voyages.
@Suite("Voyages by date, vessel by vessel")
struct DateQueryTests {
    /// 30 vessels of three operators, 0-4 voyages a day on four days (at least one on each day for
    /// the first and last vessel by MMSI), one voyage in three cancelled, a movement id used by
    /// two operators, and the first vessel removed from the register afterwards.
    struct Generated {
        let t: TestStore
        let days = (1...4).map { Fixture.date("2026-03-0\($0)") }
        var voyages: [Voyage] = []
        var cancelled: Set<VoyageKey> = []
        let removed: MMSI

        init() throws {
            t = try TestStore(vessels: [])
            var random = SeededGenerator(seed: 20261127)
            let operators = ["op1", "op2", "op3"]
            let vessels = (0..<30).map { k in
                Vessel(mmsi: MMSI(String(412_100_000 + 7 * k))!, name: "V\(k)", type: "tug", operator: operators[k % 3],
                       homeBureau: "msa", admittedFrom: Fixture.date("2026-01-01"))
            }
            _ = try t.store.upsertVessels(vessels.shuffled(using: &random), rules: t.rules, now: TestStore.receipt)
            for (k, vessel) in vessels.enumerated() {
                for (d, day) in days.enumerated() {
                    let edge = k == 0 || k == vessels.count - 1
                    for i in 0..<Int.random(in: edge ? 1...4 : 0...4, using: &random) {
                        voyages.append(Fixture.voyage("V\(k)-\(d)-\(i)", vessel: vessel,
                                                      departed: "\(day)T\(10 + i):00:00+08:00"))
                    }
                }
            }
            voyages.append(Fixture.voyage("SHARED", vessel: vessels[2], departed: "2026-03-02T20:00:00+08:00"))
            voyages.append(Fixture.voyage("SHARED", vessel: vessels[0], departed: "2026-03-03T21:00:00+08:00"))
            try t.ingest(voyages.shuffled(using: &random))
            for voyage in voyages where Int.random(in: 0..<3, using: &random) == 0 {
                try t.store.cancel(voyage.key, reason: "test", rules: t.rules, now: TestStore.receipt)
                cancelled.insert(voyage.key)
            }
            removed = vessels[0].mmsi
            #expect(try t.store.deleteVessel(removed))
        }

        func local(_ voyage: Voyage) -> LocalDate { Fixture.calendar.localDate(of: voyage.departedAt) }
    }

    @Test("The voyages of a date, of one operator or all, cancelled ones flagged")
    func voyagesOfADate() throws {
        let g = try Generated()
        for day in g.days {
            let expected = g.voyages.filter { g.local($0) == day }
            #expect(expected.contains { $0.mmsi == g.removed })
            let stored = try g.t.store.voyages(on: day)
            #expect(Set(stored.map(\.voyage)) == Set(expected), "\(day)")
            #expect(stored.count == expected.count)
            #expect(stored.allSatisfy { $0.cancelled == g.cancelled.contains($0.voyage.key) })
            #expect(stored.map(\.voyage.departedAt) == stored.map(\.voyage.departedAt).sorted())
            for operatorID in ["op1", "op2", "op3"] {
                let mine = try g.t.store.voyages(on: day, operator: operatorID)
                #expect(Set(mine.map(\.voyage)) == Set(expected.filter { $0.operator == operatorID }), "\(day) \(operatorID)")
            }
        }
        #expect(try g.t.store.voyages(on: Fixture.date("2026-03-05")).isEmpty)
    }

    @Test("The status counts the date's voyages that are not cancelled")
    func statusCount() throws {
        let g = try Generated()
        for day in g.days {
            let expected = g.voyages.filter { g.local($0) == day && !g.cancelled.contains($0.key) }.count
            #expect(try g.t.store.statusSnapshot(today: day).voyagesToday == expected, "\(day)")
        }
    }

    @Test("The figures' inputs hold every voyage not cancelled in the range, removed vessels' too")
    func figureInputs() throws {
        let g = try Generated()
        let range = (from: g.days[1], to: g.days[3])
        let inputs = try g.t.store.figureInputs(from: range.from, to: range.to, setup: Fixture.setup)
        let stored = inputs.voyages.map { "\($0.day) \(inputs.vessels[Int($0.vessel)].mmsi)" }.sorted()
        let expected = g.voyages
            .filter { !g.cancelled.contains($0.key) && g.local($0) >= range.from && g.local($0) <= range.to }
            .map { "\(g.local($0).dayNumber) \($0.mmsi.rawValue)" }.sorted()
        #expect(stored == expected)
        #expect(inputs.vessels.contains { $0.mmsi == g.removed.rawValue && $0.type == "unregistered" })
    }

    @Test("The operators of a movement id, first and last operator included")
    func operatorsOfAMovement() throws {
        let g = try Generated()
        #expect(try g.t.store.operators(ofMovement: "SHARED") == ["op1", "op3"])
        for voyage in g.voyages where voyage.movementId != "SHARED" {
            #expect(try g.t.store.operators(ofMovement: voyage.movementId) == [voyage.operator], "\(voyage.movementId)")
        }
        #expect(try g.t.store.operators(ofMovement: "NONE").isEmpty)
    }
}
