import Foundation
import GRDB
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("Group commit: concurrent submissions share a transaction", .timeLimit(.minutes(3)))
struct GroupCommitTests {
    /// Holds the store's writer on a thread of its own until `release` is called.
    final class WriterHold: @unchecked Sendable {
        private let entered = DispatchSemaphore(value: 0)
        private let released = DispatchSemaphore(value: 0)

        init(_ store: PortDailyStore) {
            let thread = Thread { [entered, released] in
                try? store.writer.write { _ in
                    entered.signal()
                    released.wait()
                }
            }
            thread.start()
            entered.wait()
        }

        func release() { released.signal() }
    }

    /// Submits one voyage of the bunker vessel and returns once the drain has taken it alone: it
    /// then waits for the held writer, and whatever is submitted next queues up for one transaction.
    static func blocker(_ store: PortDailyStore, rules: StoreRules) async throws -> Task<IngestResult, any Error> {
        let before = store.groupCommitStatistics.submissions
        let voyage = Fixture.voyage("blocker", vessel: Fixture.bunker, departed: "2026-03-02T04:00:00+08:00")
        let task = Task { try await store.ingestInGroup([ValidatedVoyage(line: 1, voyage: voyage)], rules: rules, now: TestStore.receipt) }
        while store.groupCommitStatistics.submissions == before || store.groupCommitStatistics.waiting > 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        return task
    }

    static func waitUntil(_ store: PortDailyStore, waiting count: Int) async throws {
        while store.groupCommitStatistics.waiting < count { try await Task.sleep(for: .milliseconds(5)) }
    }

    static func voyages(_ count: Int, prefix: String) -> [Voyage] {
        (0..<count).map { index in
            Fixture.voyage("\(prefix)-\(index)", vessel: index.isMultiple(of: 2) ? Fixture.tug : Fixture.bunker,
                           departed: "2026-03-02T\(String(format: "%02d", 6 + index % 12)):\(String(format: "%02d", index % 60)):00+08:00")
        }
    }

    @Test("submissions queued while the writer is busy commit together, each answered with its own outcomes")
    func queuedSubmissionsShareOneTransaction() async throws {
        let t = try TestStore()
        let rules = t.rules
        let voyages = Self.voyages(24, prefix: "G")
        let hold = WriterHold(t.store)
        let store = t.store
        let results = try await withThrowingTaskGroup(of: (String, [IngestOutcome]).self) { group in
            for voyage in voyages {
                group.addTask {
                    let result = try await store.ingestInGroup([ValidatedVoyage(line: 1, voyage: voyage)], rules: rules,
                                                               now: TestStore.receipt)
                    return (voyage.movementId, result.outcomes.map(\.outcome))
                }
            }
            while store.groupCommitStatistics.submissions < voyages.count { try await Task.sleep(for: .milliseconds(5)) }
            hold.release()
            return try await group.reduce(into: [String: [IngestOutcome]]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == voyages.count)
        #expect(results.values.allSatisfy { $0 == [.accepted] })
        // The first submission may have been taken alone before the writer was free; every later
        // one waited and went in the next transaction.
        let statistics = store.groupCommitStatistics
        #expect(statistics.submissions == voyages.count)
        #expect(statistics.transactions <= 2)
        let stored = try t.store.voyages(on: Fixture.date("2026-03-02")).map(\.voyage.movementId)
        #expect(Set(stored) == Set(voyages.map(\.movementId)))
    }

    @Test("a refused all-or-nothing submission is rolled back alone; the rest of its group commits")
    func refusalStaysInItsSavepoint() async throws {
        let t = try TestStore()
        let rules = t.rules
        let cancelled = Fixture.voyage("X", departed: "2026-03-02T05:00:00+08:00")
        try t.ingest([cancelled])
        try t.store.cancel(cancelled.key, reason: "test", rules: rules, now: TestStore.receipt)
        let good = Self.voyages(6, prefix: "ok")
        let doomed = Fixture.voyage("doomed", departed: "2026-03-02T20:00:00+08:00")
        let hold = WriterHold(t.store)
        let store = t.store
        let before = store.groupCommitStatistics
        let blocker = try await Self.blocker(store, rules: rules)
        let refused = Task {
            try await store.ingestInGroup([ValidatedVoyage(line: 1, voyage: doomed), ValidatedVoyage(line: 2, voyage: cancelled)],
                                          rules: rules, now: TestStore.receipt, allOrNothing: true)
        }
        let accepted = Task {
            try await store.ingestInGroup(good.enumerated().map { ValidatedVoyage(line: $0.offset + 1, voyage: $0.element) },
                                          rules: rules, now: TestStore.receipt)
        }
        try await Self.waitUntil(store, waiting: 2)
        hold.release()
        _ = try await blocker.value
        await #expect(throws: BatchRefused.self) { _ = try await refused.value }
        #expect(try await accepted.value.outcomes.map(\.outcome) == Array(repeating: .accepted, count: good.count))
        #expect(store.groupCommitStatistics.transactions - before.transactions == 2)  // the blocker's, then the group's
        let stored = Set(try t.store.voyages(on: Fixture.date("2026-03-02")).map(\.voyage.movementId))
        #expect(stored == Set(good.map(\.movementId) + ["X", "blocker"]))
        #expect(!stored.contains("doomed"))
    }

    @Test("a register snapshot older than the register is not used by a late fold: the revision shows the vessel as it is now")
    func staleRegisterSnapshot() async throws {
        // A sealed day: group commit folds it at once (an open day's fold is deferred, see StaleDayTests).
        let t = try TestStore()
        try t.ingest([Fixture.voyage("first", departed: "2026-03-02T05:00:00+08:00")])
        _ = try t.seal(at: "2026-03-03T02:00:00+08:00")
        let now = Fixture.instant("2026-03-03T09:00:00+08:00")
        #expect(try t.store.register()[Fixture.tug.mmsi]?.name == Fixture.tug.name)  // the requests' snapshot
        var renamed = Fixture.tug
        renamed.name = "津港拖1号（更名）"
        _ = try t.store.upsertVessels([renamed], rules: t.rules, now: now)
        let voyage = Fixture.voyage("R", departed: "2026-03-02T08:00:00+08:00")
        _ = try await t.store.ingestInGroup([ValidatedVoyage(line: 1, voyage: voyage)], rules: t.rules, now: now)
        #expect(try t.report("D-412000001-2026-03-02")?.report.voyages.count == 2)
        #expect(try t.report("D-412000001-2026-03-02")?.report.vesselName == renamed.name)
        // With a current snapshot, the same.
        #expect(try t.store.register()[Fixture.tug.mmsi]?.name == renamed.name)
        let second = Fixture.voyage("S", departed: "2026-03-02T10:00:00+08:00")
        _ = try await t.store.ingestInGroup([ValidatedVoyage(line: 1, voyage: second)], rules: t.rules, now: now)
        #expect(try t.report("D-412000001-2026-03-02")?.report.voyages.count == 3)
        #expect(try t.report("D-412000001-2026-03-02")?.report.vesselName == renamed.name)
    }

    @Test("a day several submissions of one group touch is folded once: one late revision, named in each answer")
    func oneFoldPerGroup() async throws {
        let t = try TestStore()
        let rules = t.rules
        try t.ingest([Fixture.voyage("first", departed: "2026-03-02T05:00:00+08:00")])
        _ = try t.seal(at: "2026-03-03T02:00:00+08:00")
        let late = (1...3).map { Fixture.voyage("late-\($0)", departed: "2026-03-02T1\($0):00:00+08:00") }
        let hold = WriterHold(t.store)
        let store = t.store
        let before = store.groupCommitStatistics
        let now = Fixture.instant("2026-03-03T09:00:00+08:00")
        let blocker = try await Self.blocker(store, rules: rules)
        let answers = late.map { voyage in
            Task { try await store.ingestInGroup([ValidatedVoyage(line: 1, voyage: voyage)], rules: rules, now: now) }
        }
        try await Self.waitUntil(store, waiting: late.count)
        hold.release()
        _ = try await blocker.value
        let expected = RevisionWritten(reportId: "D-412000001-2026-03-02", mmsi: Fixture.tug.mmsi, date: Fixture.date("2026-03-02"),
                                       revision: 2, late: true)
        for answer in answers { #expect(try await answer.value.revisions == [expected]) }
        #expect(store.groupCommitStatistics.transactions - before.transactions == 2)
        let revisions = try t.store.revisions(ofReport: expected.reportId)
        #expect(revisions.map(\.revision) == [1, 2])
        #expect(revisions.last?.changes.map(\.movementId).sorted() == late.map(\.movementId))
    }
}
