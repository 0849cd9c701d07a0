import Foundation
import GRDB
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

/// The WAL is copied back into the database file by a thread of the store's, not by the commit
/// that happens to fill it; without that thread, commits do it as SQLite would.
@Suite("WAL checkpoints", .timeLimit(.minutes(2)))
struct CheckpointTests {
    static func store(_ directory: URL, _ policy: CheckpointPolicy) throws -> PortDailyStore {
        let store = try PortDailyStore(path: directory.appendingPathComponent("wal.sqlite").path, checkpoints: policy)
        _ = try store.upsertVessels([Fixture.tug, Fixture.bunker], rules: rules, now: TestStore.receipt)
        return store
    }

    static let rules = StoreRules(setup: Fixture.setup, calendar: Fixture.calendar)

    /// Commits `count` single-voyage writes, each its own transaction.
    static func commit(_ count: Int, to store: PortDailyStore, prefix: String) throws {
        for voyage in GroupCommitTests.voyages(count, prefix: prefix) {
            _ = try store.ingest([ValidatedVoyage(line: 1, voyage: voyage)], rules: rules, now: TestStore.receipt)
        }
    }

    /// The statistics once the thread has checkpointed, or after 5 s.
    static func firstBackgroundCheckpoint(_ store: PortDailyStore) async throws -> CheckpointStatistics {
        var waited = 0
        while store.checkpointStatistics.background == 0, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        return store.checkpointStatistics
    }

    static func walBytes(_ directory: URL) -> Int {
        let path = directory.appendingPathComponent("wal.sqlite-wal").path
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    @Test("commits leave the checkpoints to the store's thread, and none of them does one itself")
    func threadCheckpoints() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A backstop no test reaches: every checkpoint must come from the thread.
        let store = try Self.store(directory, CheckpointPolicy(logBytes: 16 * PortDailyStore.pageSize, backstopBytes: 1 << 40))
        // Opening the store (its migrations) commits before the thread starts.
        let opening = store.checkpointStatistics
        try Self.commit(200, to: store, prefix: "T")
        let statistics = try await Self.firstBackgroundCheckpoint(store)
        #expect(statistics.background > 0, "the thread never checkpointed: \(statistics)")
        #expect(statistics.inline == opening.inline, "a commit checkpointed itself: \(statistics)")
        #expect(statistics.failed == 0)
        #expect(try store.voyages(on: LocalDate("2026-03-02")!, operator: nil).count == 200)
        // What the thread copied is in the database file: a copy of the file alone holds voyages.
        var attempt = 0
        let copiedSome = try await Poll.until(5) {
            attempt += 1
            let copy = directory.appendingPathComponent("copy-\(attempt).sqlite")
            try FileManager.default.copyItem(at: directory.appendingPathComponent("wal.sqlite"), to: copy)
            return try await DatabaseQueue(path: copy.path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM voyage") ?? 0 } > 0
        }
        #expect(copiedSome, "the database file holds no voyage: nothing was checkpointed")
    }

    @Test("without the thread, the commit that fills the log checkpoints it, and the WAL stays short")
    func commitsCheckpointWithoutThread() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pages = 16
        let store = try Self.store(directory, CheckpointPolicy(logBytes: pages * PortDailyStore.pageSize, thread: false))
        var largest = 0
        for round in 0..<20 {
            try Self.commit(10, to: store, prefix: "R\(round)")
            largest = max(largest, Self.walBytes(directory))
        }
        let statistics = store.checkpointStatistics
        #expect(statistics.background == 0)
        #expect(statistics.inline > 0, "no commit checkpointed: \(statistics)")
        // The log starts again after each checkpoint: it never holds much more than `pages` frames
        // and the last transaction's (each frame a page with a 24-byte header).
        #expect(largest < 3 * pages * (PortDailyStore.pageSize + 24), "the WAL grew to \(largest) bytes")
        #expect(try store.voyages(on: LocalDate("2026-03-02")!, operator: nil).count == 200)
    }

    @Test("a new store has 8 KiB pages; a store made with 4 KiB pages keeps them, and its log is checkpointed at the same size in bytes")
    func pageSizes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fresh = try PortDailyStore(path: directory.appendingPathComponent("new.sqlite").path)
        #expect(try fresh.writer.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == PortDailyStore.pageSize)
        try fresh.close()

        // A store from before: created with SQLite's default page size.
        let old = try DatabaseQueue(path: directory.appendingPathComponent("wal.sqlite").path)
        try old.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096")
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "CREATE TABLE before (x)")
        }
        try old.close()
        let logBytes = 1 << 21
        let store = try Self.store(directory, CheckpointPolicy(logBytes: logBytes, thread: false))
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 4096)
        var largest = 0
        for round in 0..<20 {
            try Self.commit(20, to: store, prefix: "P\(round)")
            largest = max(largest, Self.walBytes(directory))
        }
        #expect(store.checkpointStatistics.inline > 0)
        // Counted in frames of the store's own 4 KiB pages, the log would be checkpointed only
        // after twice as many frames of 4 KiB: in bytes, at about `logBytes`.
        #expect(largest < logBytes + logBytes / 2, "the WAL grew to \(largest) bytes")
        #expect(largest > logBytes * 3 / 4, "the WAL was checkpointed early: \(largest) bytes")
        try store.close()
    }
}
