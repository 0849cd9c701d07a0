import Foundation
import GRDB
import PortDailyCore
@testable import PortDailyStore
import PortDailyTestSupport
import Testing

/// Stale days are read a page at a time, after the last (date, vessel) of the page before: a year's
/// import leaves hundreds of thousands, and a day marked again behind the cursor waits for the
/// next fold instead of keeping this one going.
@Suite("Stale days read a page at a time", .timeLimit(.minutes(1)))
struct StaleDayPagingTests {
    static func days(_ dates: [String], _ vessels: [Vessel]) -> [VesselDay] {
        dates.flatMap { date in vessels.map { VesselDay(mmsi: $0.mmsi, date: Fixture.date(date)) } }
    }

    static func mark(_ t: TestStore, _ days: [VesselDay]) throws {
        try t.store.writer.write { db in for day in days { try StaleDays.mark(db, day) } }
    }

    @Test("pages follow (date, vessel) order across dates and vessels, each after the last")
    func pagesInOrder() throws {
        let t = try TestStore()
        // Marked out of order: the pages come back in order all the same.
        let all = Self.days(["2026-03-03", "2026-03-02", "2026-03-04"], [Fixture.bunker, Fixture.tug])
        try Self.mark(t, all.reversed())
        let expected = all.sorted { ($0.date, $0.mmsi) < ($1.date, $1.mmsi) }
        var pages: [[VesselDay]] = []
        var after: VesselDay?
        for _ in 0..<10 {  // (bounded: pages that ignored the cursor would never end)
            let page = try t.store.writer.read { db in try StaleDays.page(db, .all, after: after, limit: 4) }
            guard let last = page.last else { break }
            pages.append(page)
            after = last
        }
        #expect(pages.map(\.count) == [4, 2])
        #expect(pages.flatMap { $0 } == expected)
        // A scope bounds the pages too.
        let through = try t.store.writer.read { db in
            try StaleDays.page(db, .through(Fixture.date("2026-03-03")), after: expected[1], limit: 10)
        }
        #expect(through == Array(expected[2..<4]))
    }

    @Test("a day marked again behind the cursor is left for the next fold; the fold ends")
    func markedBehindTheCursor() throws {
        let t = try TestStore()
        let voyages = (0..<6).map { Fixture.voyage("p\($0)", departed: "2026-03-0\(2 + $0)T06:00:00+08:00") }
        _ = try t.store.ingest(voyages.enumerated().map { ValidatedVoyage(line: $0.offset + 1, voyage: $0.element) },
                               rules: t.rules, now: TestStore.receipt, deferringOpenDays: true)
        var folds = 0
        try t.store.foldStaleDays(.all, rules: t.rules, now: TestStore.receipt, daysPerTransaction: 2) { written in
            folds += 1
            // After the first page, a voyage arrives for the first day, already folded.
            if folds == 1 {
                _ = try? t.store.ingest([ValidatedVoyage(line: 1, voyage: Fixture.voyage("again", departed: "2026-03-02T09:00:00+08:00"))],
                                        rules: t.rules, now: TestStore.receipt, deferringOpenDays: true)
            }
            #expect(written.count == 2)
        }
        #expect(folds == 3)
        let left = try t.store.writer.read { db in try StaleDays.page(db, .all, after: nil, limit: 10) }
        #expect(left == [VesselDay(mmsi: Fixture.tug.mmsi, date: Fixture.date("2026-03-02"))])
        #expect(try t.store.foldStaleDays(.all, rules: t.rules, now: TestStore.receipt).map(\.date) == [Fixture.date("2026-03-02")])
        #expect(try t.report("D-412000001-2026-03-02")?.report.voyages.map(\.movementId) == ["p0", "again"])
    }
}
