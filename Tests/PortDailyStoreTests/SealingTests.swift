import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("Sealing and revisions")
struct SealingTests {
    let a = Fixture.voyage("A", departed: "2026-03-02T08:00:00+08:00", from: "n1", to: "n2")
    let b = Fixture.voyage("B", departed: "2026-03-02T10:00:00+08:00", from: "n2", to: "n1")
    let reportID = "D-412000001-2026-03-02"

    @Test("a day is sealed at the following local midnight plus grace, not before")
    func due() throws {
        let t = try TestStore()
        try t.ingest([a])
        #expect(try t.seal(at: "2026-03-03T01:59:59+08:00").sealedDays.isEmpty)
        #expect(try t.report(reportID)?.sealed == false)
        let result = try t.seal(at: "2026-03-03T02:00:00+08:00")
        #expect(result.sealedThrough == Fixture.date("2026-03-02"))
        #expect(result.sealedDays == [SealResult.SealedDay(date: Fixture.date("2026-03-02"), reports: 1)])
        #expect(try t.report(reportID)?.sealed == true)
        #expect(try t.seal(at: "2026-03-03T03:00:00+08:00").sealedDays.isEmpty)
    }

    @Test("late data on a sealed day makes numbered revisions, keeping every earlier one, marked late")
    func revisions() throws {
        let t = try TestStore()
        try t.ingest([a])
        _ = try t.seal(at: "2026-03-03T02:00:00+08:00")
        // A late voyage: revision 2.
        let late = try t.ingest([b], at: Fixture.instant("2026-03-03T09:00:00+08:00"))
        #expect(late.revisions == [RevisionWritten(reportId: reportID, mmsi: Fixture.tug.mmsi, date: Fixture.date("2026-03-02"),
                                                   revision: 2, late: true)])
        // A late correction: revision 3. A late cancellation: revision 4.
        var corrected = b
        corrected.personsAboard = 9
        try t.ingest([corrected], at: Fixture.instant("2026-03-03T10:00:00+08:00"))
        _ = try t.store.cancel(a.key, reason: "duplicate entry", rules: t.rules, now: Fixture.instant("2026-03-03T11:00:00+08:00"))

        let all = try t.store.revisions(ofReport: reportID)
        #expect(all.map(\.revision) == [1, 2, 3, 4])
        #expect(all.map(\.late) == [false, true, true, true])
        #expect(all.map { $0.report.voyages.map(\.movementId) } == [["A"], ["A", "B"], ["A", "B"], ["B"]])
        #expect(all[1].changes == [ReportChange(movementId: "B", operator: "op1", action: .added)])
        #expect(all[2].changes == [ReportChange(movementId: "B", operator: "op1", action: .corrected)])
        #expect(all[3].changes == [ReportChange(movementId: "A", operator: "op1", action: .withdrawn)])
        #expect(all[2].report.voyages[1].personsAboard == 9)
        #expect(Set(all.map(\.seq)).count == 4)
    }

    @Test("a late correction that takes a report out of a bureau's waters still reaches that bureau")
    func droppedBureau() throws {
        let t = try TestStore()
        let crossing = Fixture.voyage("X", departed: "2026-03-02T08:00:00+08:00", from: "n1", to: "s1")
        try t.ingest([crossing])
        let first = try #require(try t.store.latestReports(ReportFilter(bureau: "south")).first)
        #expect(first.report.sharedWith == ["msa", "north", "south"])
        _ = try t.seal(at: "2026-03-03T02:00:00+08:00")
        var inNorth = crossing
        inNorth.toArea = "n2"
        try t.ingest([inNorth], at: Fixture.instant("2026-03-03T09:00:00+08:00"))
        // South pulled revision 1; revision 2 says the vessel never worked in its waters.
        let feed = try t.store.changes(since: first.seq, limit: 10, bureau: "south", operatorID: nil).map { try $0.decoded() }
        #expect(feed.map(\.revision) == [2])
        #expect(feed.map(\.report.sharedWith) == [["msa", "north"]])
        #expect(try t.store.sharing(reportId: first.report.reportId, revision: 2) == ["msa", "north", "south"])
        // A report that never concerned south does not reach it.
        try t.ingest([Fixture.voyage("Y", vessel: Fixture.bunker, departed: "2026-03-02T09:00:00+08:00", from: "n1", to: "n2")],
                     at: Fixture.instant("2026-03-03T09:30:00+08:00"))
        #expect(try t.store.latestReports(ReportFilter(bureau: "south")).map(\.report.reportId) == [first.report.reportId])
    }

    @Test("the first voyage of an already sealed day starts at revision 1, marked late")
    func lateFirst() throws {
        let t = try TestStore()
        _ = try t.seal(at: "2026-03-05T02:00:00+08:00")
        let result = try t.ingest([a], at: Fixture.instant("2026-03-05T09:00:00+08:00"))
        #expect(result.revisions.map(\.revision) == [1])
        #expect(result.revisions.map(\.late) == [true])
    }

    @Test("cancelling every voyage of a sealed day keeps the report as an empty, withdrawn revision")
    func withdrawal() throws {
        let t = try TestStore()
        try t.ingest([a])
        _ = try t.seal(at: "2026-03-03T02:00:00+08:00")
        _ = try t.store.cancel(a.key, reason: "wrong vessel", rules: t.rules, now: Fixture.instant("2026-03-03T09:00:00+08:00"))
        let latest = try #require(try t.report(reportID))
        #expect(latest.revision == 2)
        #expect(latest.withdrawn)
        #expect(latest.report.totals.voyages == 0)
    }

    @Test("changing a vessel's admission folds its days again: daily becomes per-voyage")
    func admissionChange() throws {
        let t = try TestStore()
        try t.ingest([a, b])
        var withdrawn = Fixture.tug
        withdrawn.admittedUntil = Fixture.date("2026-03-01")
        let update = try t.store.upsertVessels([withdrawn], rules: t.rules, now: TestStore.receipt)
        #expect(update.updated == 1)
        let reports = try t.store.latestReports(ReportFilter(date: Fixture.date("2026-03-02"), mmsi: Fixture.tug.mmsi))
        #expect(reports.map(\.report.reportId) == ["D-412000001-2026-03-02", "V-op1-A", "V-op1-B"])
        #expect(reports[0].withdrawn)
        #expect(reports[1].report.sharedWith == ["north"])
    }

    @Test("reports are found by the bureaus they are shared with")
    func sharing() throws {
        let t = try TestStore()
        let c = Fixture.voyage("C", departed: "2026-03-02T13:00:00+08:00", from: "n1", to: "s1")
        let d = Fixture.voyage("D", vessel: Fixture.bunker, departed: "2026-03-02T09:00:00+08:00", from: "n1", to: "n1",
                               job: .bunkering)
        try t.ingest([a, c, d])
        func ids(_ bureau: String) throws -> [String] {
            try t.store.latestReports(ReportFilter(date: Fixture.date("2026-03-02"), bureau: bureau)).map(\.report.reportId)
        }
        #expect(try ids("msa") == ["D-412000001-2026-03-02"])
        #expect(try ids("north") == ["D-412000001-2026-03-02", "D-412000002-2026-03-02"])
        #expect(try ids("south") == ["D-412000001-2026-03-02"])
    }
}
