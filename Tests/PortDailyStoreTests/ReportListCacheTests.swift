import Foundation
import GRDB
import PortDailyCore
@testable import PortDailyStore
import PortDailyTestSupport
import Testing

/// A report list read again while nothing it depends on changed is served from memory; every
/// change to what it shows gives a fresh list.
@Suite("Report list cache: served again until something it shows changes")
struct ReportListCacheTests {
    static let day = Fixture.date("2026-03-02")
    static let filter = ReportFilter(date: day)

    static func json(_ t: TestStore, _ filter: ReportFilter = filter) async throws -> String {
        String(decoding: try await t.list(filter).body, as: UTF8.self)
    }

    static func csv(_ t: TestStore, _ filter: ReportFilter = filter) async throws -> String {
        try await t.rows(filter).joined()
    }

    /// Changes a stored report behind the store's back, without a new sequence number: only a
    /// list read again from the file shows it.
    static func tamper(_ t: TestStore) throws {
        try t.store.writer.write { db in
            try db.execute(sql: "UPDATE reportRevision SET content = replace(content, '津港拖1号', 'TAMPERED'), csvHead = replace(csvHead, '津港拖1号', 'TAMPERED')")
        }
    }

    @Test("a list read again at the same version is the one kept (a change behind the store's back does not show)")
    func servedAgain() async throws {
        let t = try TestStore()
        try t.ingest([Fixture.voyage("A", departed: "2026-03-02T06:00:00+08:00")])
        let first = try await Self.json(t)
        let firstCSV = try await Self.csv(t)
        #expect(first.contains("津港拖1号") && firstCSV.contains("津港拖1号"))
        try Self.tamper(t)
        #expect(try await Self.json(t) == first)
        #expect(try await Self.csv(t) == firstCSV)
        // Another filter is read from the file.
        #expect(try await Self.json(t, ReportFilter(date: Self.day, mmsi: Fixture.tug.mmsi)).contains("TAMPERED"))
    }

    @Test("each change a list shows gives a fresh list: a voyage, an acknowledgement, sealing, a folded stale day, a register edit",
          arguments: ["voyage", "acknowledgement", "sealing", "stale day", "register"])
    func invalidated(change: String) async throws {
        let t = try TestStore()
        try t.ingest([Fixture.voyage("A", departed: "2026-03-02T06:00:00+08:00")])
        _ = try await Self.json(t)
        _ = try await Self.csv(t)
        try Self.tamper(t)
        // Each change leaves the tug's (tampered) report alone: a fresh list shows the tampering.
        switch change {
        case "voyage":
            try t.ingest([Fixture.voyage("B", vessel: Fixture.bunker, departed: "2026-03-02T07:00:00+08:00")])
        case "acknowledgement":
            try t.store.acknowledge(reportId: "D-412000001-2026-03-02", revision: 1, bureau: "beijiang-msa", remark: nil,
                                    now: TestStore.receipt)
        case "sealing":
            _ = try t.seal(at: "2026-03-03T02:00:00+08:00")
        case "stale day":
            _ = try await t.store.ingestInGroup([ValidatedVoyage(line: 1, voyage: Fixture.voyage("S", vessel: Fixture.bunker, departed: "2026-03-02T09:00:00+08:00"))],
                                                rules: t.rules, now: TestStore.receipt)
            try await t.store.foldStaleDays(.date(Self.day), rules: t.rules, now: TestStore.receipt)
        default:
            var renamed = Fixture.bunker
            renamed.name = "渤海油2（更名）"
            try t.ingest([Fixture.voyage("B", vessel: Fixture.bunker, departed: "2026-03-02T07:00:00+08:00")])
            _ = try await Self.json(t)
            _ = try await Self.csv(t)
            try Self.tamper(t)
            _ = try t.store.upsertVessels([renamed], rules: t.rules, now: TestStore.receipt)
        }
        #expect(try await Self.json(t).contains("TAMPERED"), "\(change)")
        #expect(try await Self.csv(t).contains("TAMPERED"), "\(change)")
    }

    @Test("the least recently used list goes first once the cache is full; serving a list again counts as a use")
    func bounded() async throws {
        let t = try TestStore()
        // One report a day on 17 days: 17 filters, for a cache of 16 lists.
        let dates = (0..<17).map { Self.day.adding(days: $0) }
        try t.ingest(dates.map { Fixture.voyage("V\($0)", departed: "\($0)T06:00:00+08:00") })
        for date in dates.prefix(16) { _ = try await Self.json(t, ReportFilter(date: date)) }
        _ = try await Self.json(t, ReportFilter(date: dates[0]))  // used again: now the most recent
        _ = try await Self.json(t, ReportFilter(date: dates[16]))  // pushes out the least recent: the second
        try Self.tamper(t)
        // The kept ones first (a miss is kept in turn and pushes another out).
        for (index, date) in dates.enumerated() where index != 1 {
            #expect(try await !Self.json(t, ReportFilter(date: date)).contains("TAMPERED"), "\(date) kept")
        }
        #expect(try await Self.json(t, ReportFilter(date: dates[1])).contains("TAMPERED"), "read again from the file")
    }

    @Test("a byte budget: a list larger than the whole budget is not kept, and older lists make room for a new one")
    func byteBudget() {
        // Each value is its own size.
        let cache = ReportListCache<Int>(entries: 16, bytes: 100, size: { $0 % 1000 })
        let version = ReportListVersion(seq: 1, acknowledgement: 0, sealedThrough: nil)
        var made = 0
        func read(_ date: String, size: Int) -> Int {
            cache.value(for: ReportFilter(date: Fixture.date(date)), at: version) { made += 1; return made * 1000 + size } / 1000
        }
        #expect(read("2026-03-01", size: 200) == 1)
        #expect(read("2026-03-01", size: 200) == 2, "too large to keep")
        #expect(read("2026-03-02", size: 60) == 3)
        #expect(read("2026-03-02", size: 60) == 3, "kept")
        #expect(read("2026-03-03", size: 60) == 4)  // 120 > 100: the 2nd goes
        #expect(read("2026-03-03", size: 60) == 4)
        #expect(read("2026-03-02", size: 60) == 5, "pushed out by the byte budget")
    }
}
