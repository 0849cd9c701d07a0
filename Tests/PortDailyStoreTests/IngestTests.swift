import Foundation
import GRDB
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("Ingest on a real SQLite file")
struct IngestTests {
    let a = Fixture.voyage("A", departed: "2026-03-02T08:00:00+08:00", from: "n1", to: "n2")
    let b = Fixture.voyage("B", departed: "2026-03-02T10:00:00+08:00", from: "n2", to: "s1")

    @Test("the database is in WAL mode with synchronous=FULL")
    func durability() throws {
        let t = try TestStore()
        let (mode, synchronous) = try t.store.writer.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(mode == "wal")
        #expect(synchronous == 2)
    }

    @Test("new voyages are accepted; the same content again is a duplicate and changes nothing")
    func duplicates() throws {
        let t = try TestStore()
        let first = try t.ingest([a, b])
        #expect(first.outcomes.map(\.outcome) == [.accepted, .accepted])
        let before = try t.report("D-412000001-2026-03-02")
        let again = try t.ingest([b, a], at: TestStore.receipt.adding(milliseconds: 60_000))
        #expect(again.outcomes.map(\.outcome) == [.duplicate, .duplicate])
        #expect(again.revisions.isEmpty)
        #expect(try t.report("D-412000001-2026-03-02") == before)
    }

    @Test("the same operator and movement id with other content is a correction; the old content stays in the audit trail")
    func corrections() throws {
        let t = try TestStore()
        try t.ingest([a])
        var moved = a
        moved.toArea = "s1"
        let result = try t.ingest([moved])
        #expect(result.outcomes.map(\.outcome) == [.corrected])
        let report = try #require(try t.report("D-412000001-2026-03-02"))
        #expect(report.revision == 1)  // open day: revision 1 updated in place
        #expect(report.report.voyages == [moved])
        #expect(report.report.sharedWith == ["msa", "north", "south"])
        // The share rows (what a bureau's pull reads) gain a bureau the report comes to concern...
        let southSees = { try t.store.latestReports(ReportFilter(bureau: "south")).map(\.report) }
        #expect(try southSees().map(\.reportId) == ["D-412000001-2026-03-02"])
        try t.ingest([Fixture.voyage("A2", departed: "2026-03-02T10:00:00+08:00", from: "n1", to: "n1")])
        #expect(try southSees().map(\.reportId) == ["D-412000001-2026-03-02"])
        // ...and keep one it no longer concerns, which sees itself gone from `sharedWith`.
        try t.ingest([a])
        #expect(try southSees().map(\.sharedWith) == [["msa", "north"]])
        #expect(try t.store.latestReports(ReportFilter(bureau: "north")).count == 1)
        let trail = try t.store.auditTrail(a.key)
        #expect(trail.count == 2)
        #expect(trail[0].action == "corrected")
        #expect(trail[0].previous == a)
        #expect(trail[0].current == moved)
    }

    @Test("a correction that moves a voyage to another day folds both days")
    func correctionAcrossDays() throws {
        let t = try TestStore()
        try t.ingest([a, b])
        var later = a
        later.departedAt = Fixture.instant("2026-03-03T08:00:00+08:00")
        later.arrivedAt = Fixture.instant("2026-03-03T09:00:00+08:00")
        try t.ingest([later])
        #expect(try t.report("D-412000001-2026-03-02")?.report.voyages.map(\.movementId) == ["B"])
        #expect(try t.report("D-412000001-2026-03-03")?.report.voyages.map(\.movementId) == ["A"])
    }

    @Test("a cancellation withdraws the voyage, is audited with its reason, and cannot be resent")
    func cancellation() throws {
        let t = try TestStore()
        try t.ingest([a, b])
        let revised = try t.store.cancel(a.key, reason: "job called off", rules: t.rules, now: TestStore.receipt)
        #expect(revised.map(\.reportId) == ["D-412000001-2026-03-02"])
        #expect(try t.report("D-412000001-2026-03-02")?.report.voyages.map(\.movementId) == ["B"])
        let trail = try t.store.auditTrail(a.key)
        #expect(trail.map(\.action) == ["cancelled"])
        #expect(trail[0].reason == "job called off")
        #expect(throws: StoreError.voyageAlreadyCancelled(a.key)) {
            try t.store.cancel(a.key, reason: "again", rules: t.rules, now: TestStore.receipt)
        }
        #expect(throws: StoreError.voyageNotFound(VoyageKey(operator: "op1", movementId: "nope"))) {
            try t.store.cancel(VoyageKey(operator: "op1", movementId: "nope"), reason: "x", rules: t.rules, now: TestStore.receipt)
        }
        let resent = try t.ingest([a])
        guard case .rejected(let issue) = resent.outcomes[0].outcome else { Issue.record("resend accepted"); return }
        #expect(issue.field == "movementId")
    }

    @Test("a resend is compared column by column: one changed, set or cleared corrects; the same text in another Unicode form is a duplicate")
    func resendComparedByColumn() throws {
        let t = try TestStore()
        var first = Fixture.voyage("U1", departed: "2026-03-02T05:00:00+08:00")
        first.remarks = "caf\u{E9}"
        try t.ingest([first])
        var decomposed = first
        decomposed.remarks = "cafe\u{301}"
        var cleared = first
        cleared.remarks = nil
        var moved = cleared
        moved.arrivedAt = Instant(millisecondsSinceEpoch: cleared.arrivedAt.millisecondsSinceEpoch + 60_000)
        // Equal as Swift strings, not in bytes: SQLite finds them different, Swift the same.
        #expect(try t.ingest([decomposed]).outcomes.map(\.outcome) == [.duplicate])
        #expect(try t.ingest([cleared]).outcomes.map(\.outcome) == [.corrected])
        #expect(try t.ingest([cleared]).outcomes.map(\.outcome) == [.duplicate])
        #expect(try t.ingest([moved]).outcomes.map(\.outcome) == [.corrected])
        #expect(try t.ingest([first]).outcomes.map(\.outcome) == [.corrected])
        #expect(try t.store.auditTrail(first.key).map(\.action) == ["corrected", "corrected", "corrected"])
    }

    @Test("all-or-nothing: one refused record rolls back the whole batch")
    func allOrNothing() throws {
        let t = try TestStore()
        try t.ingest([a])
        try t.store.cancel(a.key, reason: "x", rules: t.rules, now: TestStore.receipt)
        let c = Fixture.voyage("C", departed: "2026-03-02T14:00:00+08:00")
        #expect(throws: BatchRefused.self) {
            try t.store.ingest([ValidatedVoyage(line: 1, voyage: c), ValidatedVoyage(line: 2, voyage: a)], rules: t.rules,
                               now: TestStore.receipt, allOrNothing: true)
        }
        #expect(try t.store.voyages(on: Fixture.date("2026-03-02")).map(\.voyage.movementId) == ["A"])
    }
}
