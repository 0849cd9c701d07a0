import Foundation
import GRDB
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

/// A stored value the store's types refuse is an error naming its table and column: never a
/// crash, never a default standing in for it.
@Suite("Rows that cannot be read")
struct UnreadableRowTests {
    static func damage(_ t: TestStore, _ sql: String) throws {
        try t.store.writer.write { db in try db.execute(sql: sql) }
    }

    @Test("a voyage whose MMSI, job or departure is not one: StoreError naming voyage and the column")
    func voyageColumns() throws {
        for (column, value) in [("mmsi", "'not-an-mmsi'"), ("job", "'juggling'"), ("departedAt", "'noon'")] {
            let t = try TestStore()
            try t.ingest([Fixture.voyage("V1", departed: "2026-03-02T08:00:00+08:00")])
            try Self.damage(t, "UPDATE voyage SET \(column) = \(value)")
            do {
                _ = try t.store.voyages(on: Fixture.date("2026-03-02"))
                Issue.record("a voyage with \(column) = \(value) was read")
            } catch let StoreError.unreadableRow(table, named, _) {
                #expect(table == "voyage" && named == column, "\(column): \(table).\(named)")
            }
        }
    }

    @Test("a report revision whose number is text, a register entry whose admission is: errors naming them")
    func registerAndRevision() async throws {
        let t = try TestStore()
        try t.ingest([Fixture.voyage("V1", departed: "2026-03-02T08:00:00+08:00")])
        _ = try t.seal(at: "2026-03-03T03:00:00+08:00")
        try Self.damage(t, "UPDATE reportRevision SET revision = 'two'")
        do {
            _ = try await t.store.latestReportTexts(ReportFilter())
            Issue.record("a revision numbered 'two' was read")
        } catch let StoreError.unreadableRow(table, column, value) {
            #expect(table == "reportRevision" && column == "revision" && value?.contains("two") == true)
        }
        try Self.damage(t, "UPDATE vessel SET admittedFrom = 'soon' WHERE mmsi = '412000002'")
        do {
            _ = try t.store.vessels()
            Issue.record("an admission 'soon' was read")
        } catch let StoreError.unreadableRow(table, column, value) {
            #expect(table == "vessel" && column == "admittedFrom" && value?.contains("soon") == true)
        }
    }

    @Test("a token whose role is none of the three, an audit entry whose time is text: errors naming them, no token let in")
    func tokensAndAudit() throws {
        let t = try TestStore()
        let (_, secret) = try t.store.issueToken(for: .admin, name: "a", now: TestStore.receipt)
        #expect(try t.store.caller(forSecret: secret, now: TestStore.receipt) == .admin)
        try t.store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON; UPDATE apiToken SET role = 'king'; PRAGMA ignore_check_constraints = OFF")
        }
        do {
            _ = try t.store.caller(forSecret: secret, now: TestStore.receipt)
            Issue.record("a token of role 'king' was read")
        } catch let StoreError.unreadableRow(table, column, value) {
            #expect(table == "apiToken" && column == "role" && value == "king")
        }
        let voyage = Fixture.voyage("V1", departed: "2026-03-02T08:00:00+08:00")
        try t.ingest([voyage])
        try t.store.cancel(voyage.key, reason: "test", rules: t.rules, now: TestStore.receipt)
        #expect(try t.store.auditTrail(voyage.key).count == 1)
        try Self.damage(t, "UPDATE voyageAudit SET recordedAt = 'yesterday'")
        do {
            _ = try t.store.auditTrail(voyage.key)
            Issue.record("an audit entry recorded 'yesterday' was read")
        } catch let StoreError.unreadableRow(table, column, _) {
            #expect(table == "voyageAudit" && column == "recordedAt")
        }
    }
}
