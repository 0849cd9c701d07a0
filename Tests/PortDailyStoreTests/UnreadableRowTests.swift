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
}
