import GRDB
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("Token lookups are served from memory, yet follow every change from any process")
struct TokenCacheTests {
    @Test("tokens issued, revoked or edited through another connection (the CLI beside the daemon) count at the next lookup",
          arguments: [true, false])
    /// With the store's own probe connection, and without it (the versions read through the pool).
    func changesFromAnotherConnection(versionProbe: Bool) throws {
        let t = try TestStore()
        let store = try PortDailyStore(path: t.path, versionProbe: versionProbe)
        let other = try PortDailyStore(path: t.path)
        let (operatorToken, operatorSecret) = try other.issueToken(for: .operator("op1"), name: "a", now: TestStore.receipt)
        #expect(try store.caller(forSecret: operatorSecret, now: TestStore.receipt) == .operator("op1"))
        #expect(try store.caller(forSecret: operatorSecret + "x", now: TestStore.receipt) == nil)
        // Looked up again without a change: the same answer (from memory).
        #expect(try store.caller(forSecret: operatorSecret, now: TestStore.receipt) == .operator("op1"))

        let (_, bureauSecret) = try other.issueToken(for: .bureau("dagang-msa"), name: "b", now: TestStore.receipt)
        #expect(try store.caller(forSecret: bureauSecret, now: TestStore.receipt) == .bureau("dagang-msa"))

        #expect(try other.revokeToken(id: operatorToken.id, now: TestStore.receipt))
        #expect(try store.caller(forSecret: operatorSecret, now: TestStore.receipt) == nil)
        #expect(try store.caller(forSecret: bureauSecret, now: TestStore.receipt) == .bureau("dagang-msa"))

        // Even a hand edit with the sqlite3 shell bumps the version through the triggers.
        try other.writer.write { db in try db.execute(sql: "UPDATE apiToken SET revokedAt = 1 WHERE role = 'bureau'") }
        #expect(try store.caller(forSecret: bureauSecret, now: TestStore.receipt) == nil)
        try other.writer.write { db in try db.execute(sql: "DELETE FROM apiToken") }
        let (_, adminSecret) = try other.issueToken(for: .admin, name: "c", now: TestStore.receipt)
        #expect(try store.caller(forSecret: adminSecret, now: TestStore.receipt) == .admin)

        // The register follows the same versions.
        var renamed = Fixture.tug
        renamed.name = "renamed"
        _ = try other.upsertVessels([renamed], rules: t.rules, now: TestStore.receipt)
        #expect(try store.register()[Fixture.tug.mmsi]?.name == "renamed")
    }
}
