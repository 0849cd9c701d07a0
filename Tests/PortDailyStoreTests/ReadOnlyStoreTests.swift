import Foundation
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

/// The database file made immutable (`chattr +i`, which binds root too): root only, on a file
/// system with the attribute (ext4, xfs, btrfs).
@Suite("Fault: a read-only store", .enabled(if: Immutable.available), .timeLimit(.minutes(3)))
struct ReadOnlyStoreTests {
    @Test("opened read-only when it cannot be written: reads served, writes refused as unavailable with nothing changed; written again once it can be")
    func readOnly() async throws {
        let t = try TestStore()
        let before = Fixture.voyage("BEFORE", departed: "2026-03-02T08:00:00+08:00")
        try t.ingest([before])
        try t.store.close()
        try Immutable.set(true, t.path)
        defer { try? Immutable.set(false, t.path) }

        // The CLI's strict open refuses; the daemon's opens read-only.
        #expect(throws: (any Error).self) { try PortDailyStore(path: t.path) }
        let store = try PortDailyStore(path: t.path, allowReadOnly: true)
        #expect(store.isReadOnly)
        #expect(try store.latestReports(ReportFilter()).map(\.report.voyages.count) == [1])
        let refused = ValidatedVoyage(line: 1, voyage: Fixture.voyage("REFUSED", departed: "2026-03-02T09:00:00+08:00"))
        for attempt in 0..<2 {
            do {
                _ = attempt == 0 ? try store.ingest([refused], rules: t.rules, now: TestStore.receipt)
                    : try await store.ingestInGroup([refused], rules: t.rules, now: TestStore.receipt)
                Issue.record("a read-only store stored a voyage")
            } catch {
                #expect(PortDailyStore.isUnavailable(error), "\(error)")
            }
        }
        #expect(!store.reopenIfWritable())
        #expect(store.isReadOnly)

        try Immutable.set(false, t.path)
        #expect(store.reopenIfWritable())
        #expect(!store.isReadOnly)
        let after = ValidatedVoyage(line: 1, voyage: Fixture.voyage("AFTER", departed: "2026-03-02T10:00:00+08:00"))
        let result = try await store.ingestInGroup([after], rules: t.rules, now: TestStore.receipt)
        #expect(result.outcomes.map(\.outcome) == [.accepted])
        let stored = try store.voyages(on: Fixture.date("2026-03-02")).map(\.voyage.movementId)
        #expect(stored == ["BEFORE", "AFTER"], "nothing half-written")
    }
}

extension ReadOnlyStoreTests {
    @Test("a store opened read-only checkpoints on its thread once it can write again")
    func checkpointsAfterReopening() async throws {
        let t = try TestStore()
        try t.store.close()
        try Immutable.set(true, t.path)
        defer { try? Immutable.set(false, t.path) }
        let store = try PortDailyStore(path: t.path, allowReadOnly: true, checkpoints: CheckpointPolicy(logBytes: 8 * PortDailyStore.pageSize, backstopBytes: 1 << 40))
        #expect(store.isReadOnly)
        try Immutable.set(false, t.path)
        #expect(store.reopenIfWritable())
        for voyage in GroupCommitTests.voyages(60, prefix: "W") {
            _ = try await store.ingestInGroup([ValidatedVoyage(line: 1, voyage: voyage)], rules: t.rules, now: TestStore.receipt)
        }
        let statistics = try await CheckpointTests.firstBackgroundCheckpoint(store)
        #expect(statistics.background > 0, "the thread never checkpointed after the store became writable: \(statistics)")
        #expect(statistics.inline == 0, "\(statistics)")
    }
}
