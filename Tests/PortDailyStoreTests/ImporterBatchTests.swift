import Foundation
import GRDB
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("Bulk import in many batches, each written while the next is read")
struct ImporterBatchTests {
    /// 120 records: new voyages of two vessels over a day, a resend (duplicate) and a changed
    /// resend (correction) of earlier ones in later batches, and some invalid lines.
    static func input() -> String {
        var lines: [String] = []
        for index in 0..<100 {
            let vessel = index.isMultiple(of: 3) ? Fixture.bunker : Fixture.tug
            let voyage = Fixture.voyage("M\(index)", vessel: vessel,
                                        departed: String(format: "2026-03-02T%02d:%02d:00+08:00", 1 + index / 5, index % 5 * 11),
                                        minutes: 5)
            lines.append(VoyageNDJSON.line(voyage))
            if index % 10 == 9 { lines.append(#"{"movementId":"bad\#(index)","operator":"op1"}"# + "\n") }
            if index % 25 == 24 {
                let original = index - 20
                lines.append(VoyageNDJSON.line(Fixture.voyage("M\(original)", vessel: original.isMultiple(of: 3) ? Fixture.bunker : Fixture.tug,
                                                              departed: "2026-03-02T23:00:00+08:00")))
            }
        }
        lines.append(lines[0])
        return lines.joined()
    }

    static func importAll(into store: PortDailyStore, batchSize: Int, chunk: Int, deferring: Bool = false,
                          transactionTime: Duration = BulkWritePolicy().transactionTime) throws -> ImportSummary {
        var importer = VoyageImporter(store: store, rules: StoreRules(setup: Fixture.setup, calendar: Fixture.calendar),
                                      validator: Fixture.validator(), format: .ndjson, batchSize: batchSize, allOrNothing: false)
        importer.deferringOpenDays = deferring
        importer.bulkWrite.transactionTime = transactionTime
        let bytes = Array(input().utf8)
        for start in stride(from: 0, to: bytes.count, by: chunk) { try importer.feed(bytes[start..<min(start + chunk, bytes.count)]) }
        return try importer.finish()
    }

    @Test("batches of 7 fed in odd chunks give the same outcomes and the same reports as one batch")
    func sameAsOneBatch() throws {
        let many = try TestStore()
        let one = try TestStore()
        let a = try Self.importAll(into: many.store, batchSize: 7, chunk: 97)
        let b = try Self.importAll(into: one.store, batchSize: 100_000, chunk: 1 << 20)
        #expect(a.accepted == 100 && a.corrected == 4 && a.duplicates == 1 && a.rejected == 10)
        #expect((a.accepted, a.duplicates, a.corrected, a.rejected) == (b.accepted, b.duplicates, b.corrected, b.rejected))
        #expect(a.rejections.map(\.line) == b.rejections.map(\.line))
        let reportsA = try many.store.latestReports(ReportFilter()).map(\.report)
        let reportsB = try one.store.latestReports(ReportFilter()).map(\.report)
        #expect(reportsA == reportsB)
        #expect(reportsA.map(\.voyages.count).reduce(0, +) == 100)
    }

    static func counts(_ t: TestStore) throws -> (revisions: Int, marks: Int) {
        try t.store.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reportRevision") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM staleDay") ?? 0)
        }
    }

    @Test("the CLI's import defers open days: marks, no revision; the read folds the reports an eager import writes")
    func deferredOpenDays() throws {
        let deferred = try TestStore()
        let eager = try TestStore()
        let a = try Self.importAll(into: deferred.store, batchSize: 7, chunk: 97, deferring: true)
        let b = try Self.importAll(into: eager.store, batchSize: 7, chunk: 97)
        #expect(a.accepted == 100 && a.corrected == 4 && a.duplicates == 1 && a.rejected == 10)
        #expect((a.accepted, a.duplicates, a.corrected) == (b.accepted, b.duplicates, b.corrected))
        // Two vessels on one open day: two marks, whatever the batches.
        #expect(try Self.counts(deferred) == (0, 2))
        #expect(try Self.counts(eager) == (2, 0))
        let folded = try deferred.store.foldStaleDays(.all, rules: deferred.rules, now: TestStore.receipt)
        #expect(folded.map(\.revision) == [1, 1])
        #expect(try Self.counts(deferred) == (2, 0))
        let reports = try deferred.store.latestReports(ReportFilter()).map(\.report)
        #expect(reports == (try eager.store.latestReports(ReportFilter()).map(\.report)))
        #expect(reports.map(\.voyages.count).reduce(0, +) == 100)
    }

    @Test("the CLI's import folds a sealed day at once: a late revision, no mark")
    func sealedDaysNotDeferred() throws {
        let t = try TestStore()
        try t.ingest([Fixture.voyage("early", departed: "2026-03-02T00:30:00+08:00")])
        _ = try t.seal(at: "2026-03-03T02:00:00+08:00")
        _ = try Self.importAll(into: t.store, batchSize: 100_000, chunk: 97, deferring: true)
        #expect(try Self.counts(t).marks == 0)
        let reports = try t.store.latestReports(ReportFilter())
        #expect(reports.count == 2)
        // One batch: the tug's day had revision 1 when sealed, the bunker's first report is made late.
        #expect(reports.map { "\($0.report.mmsi) \($0.revision) \($0.late)" } == ["412000001 2 true", "412000002 1 true"])
        #expect(reports.map(\.report.voyages.count).reduce(0, +) == 101)
    }

    @Test("a day folded from the voyages a write added is the day read back: same stored report JSON")
    func addedDaysFoldAsReadBack() async throws {
        let together = try TestStore()
        let oneByOne = try TestStore()
        let voyages = (0..<30).map { index in
            Fixture.voyage("F\(index)", vessel: index.isMultiple(of: 2) ? Fixture.bunker : Fixture.tug,
                           departed: "2026-03-0\(2 + index % 3)T" + String(format: "%02d", 1 + index / 3) + ":10:00+08:00",
                           persons: index % 4)
        }
        // All in one write (each day folded from what was added), and one per write (from the
        // second voyage of a day on, the day holds more than was added: read back).
        try together.ingest(voyages)
        for voyage in voyages { try oneByOne.ingest([voyage]) }
        // A cancelled voyage still counts as stored: a voyage added to its day is folded from the
        // day read back, without the cancelled one.
        for t in [together, oneByOne] {
            try t.store.cancel(voyages[0].key, reason: "test", rules: t.rules, now: TestStore.receipt)
            try t.ingest([Fixture.voyage("LATE", vessel: Fixture.bunker, departed: "2026-03-02T23:30:00+08:00")])
        }
        let a = try await together.store.latestReportTexts(ReportFilter()).map { String(decoding: $0.0.content, as: UTF8.self) }
        let b = try await oneByOne.store.latestReportTexts(ReportFilter()).map { String(decoding: $0.0.content, as: UTF8.self) }
        #expect(a.count == 6)
        #expect(a == b)
        let cancelledDay = try #require(try together.report(Report.dailyID(mmsi: Fixture.bunker.mmsi, date: Fixture.date("2026-03-02"))))
        #expect(cancelledDay.report.voyages.map(\.movementId).contains("LATE"))
        #expect(!cancelledDay.report.voyages.map(\.movementId).contains("F0"))
    }

    @Test("days folded ahead are used only when they are the day: same voyages, same register entry")
    func preparedFold() async throws {
        let t = try TestStore()
        let first = Fixture.voyage("P1", departed: "2026-03-02T08:00:00+08:00")
        try t.ingest([first])
        let batch = [Fixture.voyage("P2", departed: "2026-03-02T09:00:00+08:00"),
                     Fixture.voyage("P3", departed: "2026-03-03T09:00:00+08:00")]
            .enumerated().map { ValidatedVoyage(line: $0.offset + 1, voyage: $0.element) }
        // Folded ahead with a register entry the store no longer has, and without P1.
        var renamed = Fixture.tug
        renamed.name = "stale name"
        let stale = try PreparedFold(batch, register: [renamed.mmsi: renamed], rules: t.rules)
        _ = try t.store.ingest(batch, rules: t.rules, now: TestStore.receipt, prepared: stale)
        let reports = try t.store.latestReports(ReportFilter(mmsi: Fixture.tug.mmsi))
        #expect(reports.map(\.report.voyages.count) == [2, 1], "the 2nd was read back with P1; the 3rd folded again")
        #expect(reports.allSatisfy { $0.report.vesselName == Fixture.tug.name })

        // Folded ahead with the register as it is: the stored texts are the writer's own.
        let other = try TestStore()
        let fresh = try PreparedFold(batch, register: [Fixture.tug.mmsi: Fixture.tug], rules: other.rules)
        _ = try other.store.ingest(batch, rules: other.rules, now: TestStore.receipt, prepared: fresh)
        let plain = try TestStore()
        _ = try plain.store.ingest(batch, rules: plain.rules, now: TestStore.receipt)
        func texts(_ t: TestStore) async throws -> [String] {
            try await t.store.latestReportTexts(ReportFilter()).map { text, _ in
                String(decoding: text.content + text.changes, as: UTF8.self) + (try text.csvRow())
            }
        }
        let withPrepared = try await texts(other)
        #expect(withPrepared.count == 2)
        #expect(withPrepared == (try await texts(plain)))
    }

    @Test("a batch whose write fails stops the import: what was committed before stays, its transaction is undone whole",
          arguments: [Duration.zero, BulkWritePolicy().transactionTime])
    func failedWriteStops(transactionTime: Duration) throws {
        let t = try TestStore()
        try t.store.writer.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_m50 BEFORE INSERT ON voyage WHEN NEW.movementId = 'M50'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """)
        }
        #expect(throws: DatabaseError.self) {
            _ = try Self.importAll(into: t.store, batchSize: 7, chunk: 97, transactionTime: transactionTime)
        }
        let stored = Set(try t.store.writer.read { db in try String.fetchAll(db, sql: "SELECT movementId FROM voyage") })
        // The valid records in input order. With no time for a transaction, each batch commits on its
        // own: the whole batches before the one holding M50 are stored. With the default, the input
        // (read in well under a second) is one transaction: nothing is stored.
        let valid = Self.input().split(separator: "\n").compactMap { line -> String? in
            guard let fields = try? FlatJSON.parseObject(Array(line.utf8)), fields["departedAt"] != nil else { return nil }
            return fields["movementId"]
        }
        let failedBatch = valid.firstIndex(of: "M50")! / 7
        #expect(failedBatch >= 2)
        #expect(stored == (transactionTime == .zero ? Set(valid[..<(failedBatch * 7)]) : []))
        // The store's writer is free again: the import let it go with the failure.
        try t.ingest([Fixture.voyage("after", departed: "2026-03-02T05:00:00+08:00")])
    }
}
