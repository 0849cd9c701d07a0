import Foundation
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

@Suite("Report lists spliced from stored JSON")
struct StoredRevisionTextTests {
    static func object(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    @Test("the spliced document has exactly the members and values of the Encodable one: open, late, withdrawn, acknowledged")
    func sameDocument() async throws {
        let t = try TestStore()
        let a = Fixture.voyage("A", departed: "2026-03-02T08:00:00+08:00", from: "n1", to: "s1")
        let b = Fixture.voyage("B", vessel: Fixture.bunker, departed: "2026-03-02T09:00:00+08:00", persons: 3)
        let c = Fixture.voyage("C", departed: "2026-03-03T09:00:00+08:00")
        try t.ingest([a, b, c])
        _ = try t.seal(at: "2026-03-03T12:00:00+08:00")
        var late = a
        late.remarks = "late \"fix\" / 补报"
        try t.ingest([late], at: Fixture.instant("2026-03-03T13:00:00+08:00"))
        try t.store.cancel(b.key, reason: "test", rules: t.rules, now: TestStore.receipt)
        try t.store.acknowledge(reportId: "D-412000001-2026-03-02", revision: 1, bureau: "msa", remark: "seen", now: TestStore.receipt)
        let texts = try await t.store.latestReportTexts(ReportFilter())
        let revisions = try t.store.latestReports(ReportFilter())
        #expect(texts.count == revisions.count)
        #expect(texts.count >= 3)
        #expect(texts.contains { $0.0.late } && texts.contains { $0.0.withdrawn } && texts.contains { !$0.1.isEmpty })
        let encoder = JSONEncoder()
        // The list as served is the same documents, in the same order.
        let list = try await t.list(ReportFilter())
        let served = try #require(try JSONSerialization.jsonObject(with: Data(list.body)) as? [NSDictionary])
        #expect(served.count == texts.count)
        for ((text, acknowledgements), (revision, element)) in zip(texts, zip(revisions, served)) {
            var out = JSONWriter()
            ReportDocumentJSON.write(text, acknowledgements: acknowledgements, into: &out)
            let expected = try Self.object(encoder.encode(revision)).mutableCopy() as! NSMutableDictionary
            expected["seq"] = revision.seq
            expected["acknowledgements"] = try JSONSerialization.jsonObject(with: encoder.encode(acknowledgements))
            #expect(try Self.object(Data(out.bytes)) == expected)
            #expect(element == expected)
            #expect(acknowledgements == (try t.store.acknowledgements(reportId: revision.report.reportId)))
        }
    }

    @Test("a list carries each bureau's latest acknowledgement of each report, across more reports than one lookup takes")
    func acknowledgementsInLongLists() async throws {
        let t = try TestStore()
        let start = Fixture.instant("2026-03-01T08:00:00+08:00")
        let voyages = (0..<1_200).map { index in
            Voyage(movementId: "M\(index)", operator: (index.isMultiple(of: 2) ? Fixture.tug : Fixture.bunker).operator,
                   mmsi: (index.isMultiple(of: 2) ? Fixture.tug : Fixture.bunker).mmsi, job: .berthingAssist,
                   departedAt: start.adding(milliseconds: Int64(index / 2) * 86_400_000), fromArea: "n1",
                   arrivedAt: start.adding(milliseconds: Int64(index / 2) * 86_400_000 + 3_600_000), toArea: "n2")
        }
        try t.ingest(voyages)
        let ids = try t.store.latestReports(ReportFilter()).map(\.report.reportId)
        #expect(ids.count == 1_200)
        var clock = TestStore.receipt
        for index in [0, 499, 500, 501, 1_199] {
            for (bureau, revision) in [("north", 1), ("msa", 1), ("north", 1)] {
                clock = clock.adding(milliseconds: 1_000)
                try t.store.acknowledge(reportId: ids[index], revision: revision, bureau: bureau, remark: "\(bureau) at \(clock)", now: clock)
            }
        }
        let texts = try await t.store.latestReportTexts(ReportFilter())
        #expect(texts.count == ids.count)
        var acknowledged = 0
        for (text, acknowledgements) in texts {
            let expected = try t.store.acknowledgements(reportId: text.reportId)
            #expect(acknowledgements == expected, "\(text.reportId)")
            if !acknowledgements.isEmpty {
                acknowledged += 1
                #expect(acknowledgements.map(\.bureau) == ["msa", "north"])
                // North acknowledged before and after msa: its later acknowledgement is the one listed.
                #expect(acknowledgements[1].recordedAt > acknowledgements[0].recordedAt)
            }
        }
        #expect(acknowledged == 5)
    }

    @Test("a list's CSV rows come from the stored parts, and rows stored before the parts were kept read the same")
    func csvRows() async throws {
        let t = try TestStore()
        let a = Fixture.voyage("A,1", departed: "2026-03-02T08:00:00+08:00", from: "n1", to: "s1")
        let b = Fixture.voyage("B", vessel: Fixture.bunker, departed: "2026-03-02T09:00:00+08:00", persons: 3)
        try t.ingest([a, b])
        _ = try t.seal(at: "2026-03-03T12:00:00+08:00")
        try t.store.cancel(b.key, reason: "test", rules: t.rules, now: TestStore.receipt)
        let expected = try t.store.latestReports(ReportFilter()).map { CSVWriter.row(ReportCSV.fields($0)) }
        let stored = try await t.store.latestReportTexts(ReportFilter(), for: .csvRows).map(\.0)
        #expect(stored.count >= 2 && stored.allSatisfy { $0.csv != nil })
        #expect(try stored.map { try $0.csvRow() } == expected)
        try await t.store.writer.write { db in try db.execute(sql: "UPDATE reportRevision SET csvHead = NULL, csvTail = NULL") }
        let older = try await t.store.latestReportTexts(ReportFilter(), for: .csvRows).map(\.0)
        #expect(older.allSatisfy { $0.csv == nil })
        #expect(try older.map { try $0.csvRow() } == expected)
    }

    @Test("a list's identity (its ETag) changes with every change to what it serves, and only then")
    func identity() async throws {
        let t = try TestStore()
        try t.ingest([Fixture.voyage("A", departed: "2026-03-02T08:00:00+08:00")])
        let filter = ReportFilter(date: Fixture.date("2026-03-02"))
        var seen: [[UInt8]] = []
        func record() async throws -> TestStore.List {
            let list = try await t.list(filter)
            seen.append(list.identity)
            return list
        }
        let first = try await record()
        #expect(try await t.list(filter).identity == first.identity, "unchanged data, same identity")
        try t.ingest([Fixture.voyage("B", departed: "2026-03-02T09:00:00+08:00")])     // revision 1 rewritten
        _ = try await record()
        _ = try t.seal(at: "2026-03-03T12:00:00+08:00")                                   // sealed
        _ = try await record()
        try t.store.acknowledge(reportId: "D-412000001-2026-03-02", revision: 1, bureau: "msa", remark: nil,
                                now: TestStore.receipt)                                    // acknowledged
        let last = try await record()
        #expect(Set(seen).count == seen.count, "each change gives a new identity")
        // And the bodies differ exactly where the identities do.
        #expect(first.body != last.body)
    }
}
