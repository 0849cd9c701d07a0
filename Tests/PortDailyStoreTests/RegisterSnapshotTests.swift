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
}
