import Foundation
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

/// Every commit must be in the database file itself once the store is let go of: an admin who
/// copies the .sqlite file after stopping the daemon or running the CLI copies everything.
@Suite("Closing the store leaves every commit in the database file")
struct StoreCloseTests {
    @Test("a store let go of (a CLI command ending) leaves its WAL checkpointed into the file and removed, probe and all")
    func releasedStoreLeavesNoWAL() throws {
        let t = try TestStore()
        let other = t.path.replacingOccurrences(of: "portdaily.sqlite", with: "cli.sqlite")
        do {
            let store = try PortDailyStore(path: other)
            let (_, secret) = try store.issueToken(for: .admin, name: "cli", now: TestStore.receipt)
            #expect(try store.caller(forSecret: secret, now: TestStore.receipt) == .admin)  // the probe has read
            #expect(FileManager.default.fileExists(atPath: other + "-wal"))
        }
        #expect(!FileManager.default.fileExists(atPath: other + "-wal"), "a copy of the .sqlite file alone must hold every commit")
        #expect(try PortDailyStore(path: other).tokens().map(\.name) == ["cli"])
    }

    @Test("a store closed (the daemon stopping) leaves its commits in the database file, not in the WAL")
    func closedStoreLeavesEmptyWAL() throws {
        let t = try TestStore()
        let (_, secret) = try t.store.issueToken(for: .admin, name: "daemon", now: TestStore.receipt)
        #expect(try t.store.caller(forSecret: secret, now: TestStore.receipt) == .admin)
        try t.store.close()
        let wal = (try? FileManager.default.attributesOfItem(atPath: t.path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0, "the WAL still holds \(wal) bytes")
    }
}
