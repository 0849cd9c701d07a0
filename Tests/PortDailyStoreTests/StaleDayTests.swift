import Foundation
import GRDB
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

/// Group commit stores an open day's voyages and marks the day stale; its report is folded when
/// read, when the date is sealed, or by a catch-up.
@Suite("Stale days: open days' reports folded when read")
struct StaleDayTests {
    static let day = Fixture.date("2026-03-02")
    static let tugDay = VesselDay(mmsi: Fixture.tug.mmsi, date: day)
    static let reportId = "D-412000001-2026-03-02"

    static func submit(_ store: PortDailyStore, _ voyages: [Voyage], rules: StoreRules,
                       now: Instant = TestStore.receipt) async throws -> IngestResult {
        try await store.ingestInGroup(voyages.enumerated().map { ValidatedVoyage(line: $0.offset + 1, voyage: $0.element) },
                                      rules: rules, now: now)
    }

    /// The marks, read straight from the file.
    static func marks(_ t: TestStore) throws -> [String] {
        try t.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT reportDate, mmsi FROM staleDay ORDER BY reportDate, mmsi").map { row in
                "\(LocalDate(dayNumber: row[0]))/\(row[1] as String)"
            }
        }
    }

    /// The variant the CLI calls (a synchronous context picks it).
    static func foldSynchronously(_ t: TestStore, _ scope: StaleScope) throws -> [RevisionWritten] {
        try t.store.foldStaleDays(scope, rules: t.rules, now: TestStore.receipt)
    }

    static func revisionRows(_ t: TestStore) throws -> Int {
        try t.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reportRevision") ?? 0 }
    }

    @Test("an open day's submission stores the voyage and a mark, no revision; the read's fold makes revision 1 with every voyage")
    func foldedWhenRead() async throws {
        let t = try TestStore()
        let first = Fixture.voyage("A", departed: "2026-03-02T06:00:00+08:00")
        let second = Fixture.voyage("B", departed: "2026-03-02T09:00:00+08:00")
        let answer = try await Self.submit(t.store, [first], rules: t.rules)
        #expect(answer.outcomes.map(\.outcome) == [.accepted])
        #expect(answer.revisions.isEmpty)
        _ = try await Self.submit(t.store, [second], rules: t.rules)
        #expect(try Self.marks(t) == ["2026-03-02/412000001"])
        #expect(try Self.revisionRows(t) == 0)

        let written = try await t.store.foldStaleDays(.date(Self.day), rules: t.rules, now: TestStore.receipt)
        #expect(written == [RevisionWritten(reportId: Self.reportId, mmsi: Fixture.tug.mmsi, date: Self.day, revision: 1, late: false)])
        #expect(try Self.marks(t).isEmpty)
        let report = try #require(try t.report(Self.reportId))
        #expect(report.revision == 1)
        #expect(report.report.voyages.map(\.movementId) == ["A", "B"])
        // Nothing stale: a second read folds nothing.
        #expect(try await t.store.foldStaleDays(.all, rules: t.rules, now: TestStore.receipt).isEmpty)
        // A later voyage replaces revision 1 in place, as an eager fold of an open day does.
        _ = try await Self.submit(t.store, [Fixture.voyage("C", departed: "2026-03-02T12:00:00+08:00")], rules: t.rules)
        try await t.store.foldStaleDays(.day(Self.tugDay), rules: t.rules, now: TestStore.receipt)
        #expect(try t.store.revisions(ofReport: Self.reportId).map { $0.report.voyages.count } == [3])
    }

    @Test("a read folds its own scope only: one vessel-day, one date, or everything")
    func scopes() async throws {
        let t = try TestStore()
        let voyages = [
            Fixture.voyage("t2", departed: "2026-03-02T06:00:00+08:00"),
            Fixture.voyage("b2", vessel: Fixture.bunker, departed: "2026-03-02T07:00:00+08:00"),
            Fixture.voyage("t3", departed: "2026-03-03T06:00:00+08:00"),
        ]
        _ = try await Self.submit(t.store, voyages, rules: t.rules)
        #expect(try Self.marks(t) == ["2026-03-02/412000001", "2026-03-02/412000002", "2026-03-03/412000001"])
        #expect(try Self.foldSynchronously(t, .day(Self.tugDay)).map(\.mmsi) == [Fixture.tug.mmsi])
        #expect(try Self.marks(t) == ["2026-03-02/412000002", "2026-03-03/412000001"])
        #expect(try Self.foldSynchronously(t, .date(Fixture.date("2026-03-03"))).map(\.date) == [Fixture.date("2026-03-03")])
        #expect(try Self.marks(t) == ["2026-03-02/412000002"])
        #expect(try await t.store.foldStaleDays(.all, rules: t.rules, now: TestStore.receipt).map(\.mmsi) == [Fixture.bunker.mmsi])
        #expect(try Self.marks(t).isEmpty)
        #expect(try Self.revisionRows(t) == 3)
    }

    @Test("sealing folds the stale days it seals first: revision 1, not late, and counted in the sealed day")
    func sealingFoldsFirst() async throws {
        let t = try TestStore()
        _ = try await Self.submit(t.store, [Fixture.voyage("A", departed: "2026-03-02T06:00:00+08:00"),
                                            Fixture.voyage("N", departed: "2026-03-03T06:00:00+08:00")], rules: t.rules)
        let result = try t.seal(at: "2026-03-03T02:00:00+08:00")
        #expect(result.sealedDays == [SealResult.SealedDay(date: Self.day, reports: 1)])
        let report = try #require(try t.report(Self.reportId))
        #expect(report.revision == 1)
        #expect(!report.late)
        // The next day is still open, and still stale.
        #expect(try Self.marks(t) == ["2026-03-03/412000001"])
    }

    @Test("sealing a store a bulk import left many stale days in folds them all, page by page, before it seals")
    func sealingFoldsManyDays() async throws {
        let t = try TestStore()
        // Three chunks and a part: one vessel on consecutive dates, none sealed yet.
        let count = 50 * 3 + 7
        let voyages = (0..<count).map { index in
            Fixture.voyage("s\(index)", departed: "\(Fixture.date("2026-03-02").adding(days: index))T06:00:00+08:00")
        }
        _ = try await Self.submit(t.store, voyages, rules: t.rules)
        let last = Fixture.date("2026-03-02").adding(days: count - 1)
        let result = try t.seal(at: "\(last.adding(days: 1))T02:00:00+08:00")
        #expect(result.sealedThrough == last)
        #expect(result.sealedDays.count == count)
        #expect(try Self.marks(t).isEmpty)
        let reports = try t.store.latestReports(ReportFilter())
        #expect(reports.count == count)
        #expect(reports.allSatisfy { $0.revision == 1 && !$0.late && $0.sealed })
    }

    @Test("a sealed day is not deferred: a late voyage makes its numbered revision when it is acknowledged")
    func sealedDaysFoldAtOnce() async throws {
        let t = try TestStore()
        try t.ingest([Fixture.voyage("A", departed: "2026-03-02T06:00:00+08:00")])
        _ = try t.seal(at: "2026-03-03T02:00:00+08:00")
        let answer = try await Self.submit(t.store, [Fixture.voyage("late", departed: "2026-03-02T20:00:00+08:00")], rules: t.rules,
                                           now: Fixture.instant("2026-03-03T09:00:00+08:00"))
        #expect(answer.revisions.map(\.revision) == [2])
        #expect(answer.revisions.map(\.late) == [true])
        #expect(try Self.marks(t).isEmpty)
    }

    @Test("a mark is durable with its voyage: a store opened again folds the day")
    func marksSurviveReopening() async throws {
        let t = try TestStore()
        let path = t.path
        _ = try await Self.submit(t.store, [Fixture.voyage("A", departed: "2026-03-02T06:00:00+08:00")], rules: t.rules)
        let reopened = try PortDailyStore(path: path)
        #expect(try await reopened.foldStaleDays(.all, rules: t.rules, now: TestStore.receipt).map(\.reportId) == [Self.reportId])
        #expect(try reopened.latestReports(ReportFilter(date: Self.day)).map { $0.report.voyages.count } == [1])
        try reopened.close()
    }

    @Test("a correction moving a voyage to another day marks both days; the fold empties the old report")
    func correctionMarksBothDays() async throws {
        let t = try TestStore()
        let voyage = Fixture.voyage("M", departed: "2026-03-02T06:00:00+08:00")
        _ = try await Self.submit(t.store, [voyage], rules: t.rules)
        try await t.store.foldStaleDays(.all, rules: t.rules, now: TestStore.receipt)
        let moved = Fixture.voyage("M", departed: "2026-03-03T06:00:00+08:00")
        #expect(try await Self.submit(t.store, [moved], rules: t.rules).outcomes.map(\.outcome) == [.corrected])
        #expect(try Self.marks(t) == ["2026-03-02/412000001", "2026-03-03/412000001"])
        try await t.store.foldStaleDays(.all, rules: t.rules, now: TestStore.receipt)
        #expect(try t.report(Self.reportId)?.report.voyages.isEmpty == true)
        #expect(try t.report("D-412000001-2026-03-03")?.report.voyages.map(\.movementId) == ["M"])
    }

    @Test("days are folded in chunks, each its own transaction, and all of them are folded")
    func manyDaysInChunks() async throws {
        let t = try TestStore()
        // More days than one chunk: one vessel on consecutive dates.
        let count = 450
        let voyages = (0..<count).map { index in
            Fixture.voyage("d\(index)", departed: "\(Fixture.date("2026-03-02").adding(days: index))T06:00:00+08:00")
        }
        _ = try await Self.submit(t.store, voyages, rules: t.rules)
        #expect(try Self.marks(t).count == count)
        let written = try await t.store.foldStaleDays(.all, rules: t.rules, now: TestStore.receipt)
        #expect(written.count == count)
        #expect(Set(written.map(\.date)).count == count)
        #expect(try Self.marks(t).isEmpty)
        #expect(try Self.revisionRows(t) == count)
    }

    @Test("the daemon's catch-up folds every stale day, each chunk in a gap of group commit", .timeLimit(.minutes(1)))
    func catchUp() async throws {
        let t = try TestStore()
        let voyages = (0..<120).map { index in
            Fixture.voyage("c\(index)", vessel: index.isMultiple(of: 2) ? Fixture.tug : Fixture.bunker,
                           departed: "\(Fixture.date("2026-03-02").adding(days: index / 2))T06:00:00+08:00")
        }
        _ = try await Self.submit(t.store, voyages, rules: t.rules)
        #expect(try Self.marks(t).count == 120)
        // With a group held in the writer, the catch-up still goes on (each chunk waits at most 100 ms).
        let hold = GroupCommitTests.WriterHold(t.store)
        let blocker = try await GroupCommitTests.blocker(t.store, rules: t.rules)
        let store = t.store, rules = t.rules
        let catchUp = Task { try await store.catchUpStaleDays(rules: rules, now: Fixture.instant("2026-06-01T12:00:00+08:00")) }
        try await Task.sleep(for: .milliseconds(150))
        hold.release()
        _ = try await blocker.value
        #expect(try await catchUp.value == 120)
        // The blocker's day was stale already; folded after the blocker's commit, it holds both voyages.
        #expect(try Self.marks(t).isEmpty)
        #expect(try t.report("D-412000002-2026-03-02")?.report.voyages.map(\.movementId).sorted() == ["blocker", "c1"])
    }
}
