import Foundation
import GRDB
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("The register snapshot follows every change, from any process")
struct RegisterSnapshotTests {
    @Test("a change made through another connection to the file (the CLI beside the daemon) is seen at once")
    func changesFromAnotherConnection() throws {
        let t = try TestStore()
        #expect(try t.store.register().keys.sorted() == Fixture.register.keys.sorted())
        let other = try PortDailyStore(path: t.path)
        var renamed = Fixture.tug
        renamed.name = "津港拖1号（改）"
        _ = try other.upsertVessels([renamed], rules: t.rules, now: TestStore.receipt)
        #expect(try t.store.register()[Fixture.tug.mmsi]?.name == "津港拖1号（改）")
        try other.deleteVessel(Fixture.bunker.mmsi)
        #expect(try t.store.register()[Fixture.bunker.mmsi] == nil)
        // Even a hand edit with the sqlite3 shell bumps the version through the triggers.
        try other.writer.write { db in
            try db.execute(sql: "UPDATE vessel SET name = 'hand edit' WHERE mmsi = ?", arguments: [Fixture.lapsed.mmsi.rawValue])
        }
        #expect(try t.store.register()[Fixture.lapsed.mmsi]?.name == "hand edit")
    }

    @Test("requests that find the snapshot stale at once share one read of the register")
    func oneLoadForConcurrentRequests() async throws {
        let vessels = (0..<3_000).map { index in
            Vessel(mmsi: MMSI(String(413_000_000 + index))!, name: "船\(index)", type: "tug", operator: "op1", homeBureau: "msa",
                   admittedFrom: Fixture.date("2026-01-01"))
        }
        let t = try TestStore(vessels: vessels)
        let store = t.store
        let before = store.registerLoads
        let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 { group.addTask { try store.register().count } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(sizes == Array(repeating: vessels.count, count: 16))
        #expect(store.registerLoads - before == 1)
        // A change makes the next request read it again, once.
        _ = try store.upsertVessels([Fixture.tug], rules: t.rules, now: TestStore.receipt)
        #expect(try store.register().count == vessels.count + 1)
        #expect(try store.register().count == vessels.count + 1)
        #expect(store.registerLoads - before == 2)
    }
}
