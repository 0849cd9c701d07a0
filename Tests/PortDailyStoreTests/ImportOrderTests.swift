import Foundation
import GRDB
import PortDailyCore
import PortDailySimulation
import PortDailyStore
import PortDailyTestSupport
import Testing

/// The bulk import sorts each batch before writing it and commits several batches at a time (see
/// `WriteOrder`, `ImportWriter`): none of that may show in what is stored. The same feed grouped by
/// vessel, in departure order and shuffled must leave the same store and the same summary, and so
/// must a resend of it in another order and a resend with a tenth of its lines corrected.
@Suite("Bulk import: the order of the feed changes nothing stored")
struct ImportOrderTests {
    static let firstDay = Fixture.date("2026-03-02")
    static let simulation = PortSimulation(
        setup: Fixture.setup, calendar: Fixture.calendar,
        parameters: SimulationParameters(vessels: 60, days: 4, jobsPerVesselDay: 6, crossShare: 0.2, seed: 27, firstDay: firstDay))
    static let vessels = simulation.vessels()
    static let register = Dictionary(uniqueKeysWithValues: vessels.map { ($0.mmsi, $0) })
    static let now = Fixture.instant("2026-03-07T00:00:00Z")
    /// A vessel the register does not hold: its voyages are refused.
    static let stranger = Vessel(mmsi: MMSI("413999999")!, name: "unregistered", type: "tug", operator: "op1",
                                 homeBureau: "msa", admittedFrom: Fixture.date("2026-01-01"))

    /// The simulated feed grouped by vessel, one line each, with a refused line (an unregistered
    /// vessel) after every 97th and a repeat of every 50th (a duplicate) at the end.
    static let voyages: [Voyage] = {
        var voyages: [Voyage] = []
        simulation.voyages(of: vessels) { voyages.append($0) }
        return voyages
    }()

    static let grouped: [String] = {
        var lines: [String] = []
        for (index, voyage) in voyages.enumerated() {
            lines.append(VoyageNDJSON.line(voyage))
            if index % 97 == 96 {
                lines.append(VoyageNDJSON.line(Fixture.voyage("X\(index)", vessel: stranger, departed: "2026-03-03T10:00:00+08:00")))
            }
        }
        lines += stride(from: 0, to: voyages.count, by: 50).map { VoyageNDJSON.line(voyages[$0]) }
        return lines
    }()

    static func departureOrder(_ lines: [String]) -> [String] {
        lines.enumerated().sorted { a, b in
            let (x, y) = (departure(a.element), departure(b.element))
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    static func departure(_ line: String) -> Instant {
        let fields = try! FlatJSON.parseObject(Array(line.utf8))
        return ISO8601.parse(fields["departedAt"]!)!
    }

    /// What an import leaves, in a form two stores can be compared by: every voyage's row but its
    /// id (the order it was written in), the audit trail, the stale-day marks.
    struct Stored: Equatable {
        var voyages: [String]
        var audit: [String]
        var staleDays: [String]
    }

    static func stored(_ t: TestStore) throws -> Stored {
        try t.store.writer.read { db in
            Stored(
                voyages: try String.fetchAll(db, sql: """
                    SELECT json_array(operator, movementId, mmsi, job, departedAt, fromArea, fromBerth, arrivedAt, toArea,
                    toBerth, servedShipImo, servedShipName, personsAboard, remarks, reportDate, cancelled, recordedAt)
                    FROM voyage ORDER BY operator, movementId
                    """),
                audit: try String.fetchAll(db, sql: """
                    SELECT json_array(operator, movementId, action, previous, current, reason, recordedAt)
                    FROM voyageAudit ORDER BY operator, movementId, id
                    """),
                staleDays: try String.fetchAll(db, sql: "SELECT reportDate || ' ' || mmsi FROM staleDay ORDER BY 1"))
        }
    }

    /// The summary without the line numbers, which differ with the order: the counts, and each
    /// refusal's field and reason, sorted.
    static func comparable(_ summary: ImportSummary) -> [String] {
        ["\(summary.accepted) \(summary.duplicates) \(summary.corrected) \(summary.rejected) \(summary.committed)"]
            + summary.rejections.map { "\($0.field): \($0.reason)" }.sorted()
            + summary.warnings.map { "\($0.field): \($0.reason)" }.sorted()
    }

    /// Imports the lines as the CLI does (open days deferred), in batches of `batchSize` (long
    /// enough to be sorted), with each batch committed on its own or several to a transaction.
    static func importLines(_ lines: [String], into t: TestStore, batchSize: Int = 300,
                            transactionTime: Duration = BulkWritePolicy().transactionTime) throws -> ImportSummary {
        var importer = VoyageImporter(store: t.store, rules: t.rules,
                                      validator: VoyageValidator(setup: Fixture.setup, register: register, now: now),
                                      format: .ndjson, batchSize: batchSize, allOrNothing: false)
        importer.deferringOpenDays = true
        importer.bulkWrite.transactionTime = transactionTime
        let bytes = Array(lines.joined().utf8)
        for start in stride(from: 0, to: bytes.count, by: 4093) { try importer.feed(bytes[start..<min(start + 4093, bytes.count)]) }
        return try importer.finish()
    }

    static func reports(_ t: TestStore) throws -> [Report] {
        _ = try t.store.foldStaleDays(.all, rules: t.rules, now: now)
        return try t.store.latestReports(ReportFilter()).map(\.report)
    }

    @Test("grouped, in departure order, shuffled, in one transaction or one per batch: the same voyages, marks, reports and summary")
    func sameStoreWhateverTheOrder() throws {
        let seed = TestSeed.make()
        var generator = SeededGenerator(seed: seed)
        let orders: [(String, [String], Duration)] = [
            ("grouped", Self.grouped, BulkWritePolicy().transactionTime),
            ("departure", Self.departureOrder(Self.grouped), BulkWritePolicy().transactionTime),
            ("shuffled", Self.grouped.shuffled(using: &generator), BulkWritePolicy().transactionTime),
            ("shuffled, a commit per batch", Self.grouped.shuffled(using: &generator), .zero),
        ]
        #expect(Self.grouped.count > 1400)
        let reference = try TestStore(vessels: Self.vessels)
        let summary = try Self.importLines(orders[0].1, into: reference)
        #expect(summary.accepted > 1400 && summary.duplicates > 25 && summary.rejected > 10, "seed \(seed)")
        let stored = try Self.stored(reference)
        #expect(stored.voyages.count == summary.accepted)
        let reports = try Self.reports(reference)
        #expect(reports.map(\.voyages.count).reduce(0, +) == summary.accepted)
        for (name, lines, transactionTime) in orders.dropFirst() {
            let t = try TestStore(vessels: Self.vessels)
            let other = try Self.importLines(lines, into: t, transactionTime: transactionTime)
            #expect(Self.comparable(other) == Self.comparable(summary), "\(name), seed \(seed)")
            #expect(try Self.stored(t) == stored, "\(name), seed \(seed)")
            #expect(try Self.reports(t) == reports, "\(name), seed \(seed)")
        }
    }

    @Test("a resend in another order is all duplicates; one with a tenth corrected corrects the same voyages, whatever its order")
    func resendsWhateverTheOrder() throws {
        let seed = TestSeed.make()
        var generator = SeededGenerator(seed: seed)
        // A tenth of the voyages with new remarks, chosen by the seed, on every line that sends them
        // (a repeated line is corrected alike: otherwise the order would decide which copy wins).
        let ids = Set(Self.grouped.map { try! FlatJSON.parseObject(Array($0.utf8))["movementId"]! })
        let chosen = Set(ids.sorted().filter { _ in Double.random(in: 0..<1, using: &generator) < 0.1 })
        let corrected = Self.grouped.map { line -> String in
            guard chosen.contains(try! FlatJSON.parseObject(Array(line.utf8))["movementId"]!), !line.contains("\"X") else { return line }
            return line.replacingOccurrences(of: "{", with: #"{"remarks":"corrected in the resend","#, options: .anchored)
        }
        var stores: [Stored] = []
        var summaries: [[String]] = []
        for lines in [corrected, Self.departureOrder(corrected), corrected.shuffled(using: &generator)] {
            let t = try TestStore(vessels: Self.vessels)
            let first = try Self.importLines(Self.grouped, into: t)
            let again = try Self.importLines(Self.grouped.shuffled(using: &generator), into: t)
            #expect(again.accepted == 0 && again.corrected == 0, "seed \(seed)")
            #expect(again.duplicates == first.accepted + first.duplicates, "seed \(seed)")
            summaries.append(Self.comparable(try Self.importLines(lines, into: t)))
            stores.append(try Self.stored(t))
        }
        // Each chosen voyage is corrected once (a repeated line is then a duplicate of the correction).
        let stored = chosen.filter { !$0.hasPrefix("X") }.count
        #expect(stored > ids.count / 20 && stores[0].audit.count == stored, "seed \(seed)")
        #expect(stores[0].voyages.count(where: { $0.contains("corrected in the resend") }) == stored, "seed \(seed)")
        #expect(summaries.allSatisfy { $0 == summaries[0] }, "seed \(seed)")
        #expect(stores.allSatisfy { $0 == stores[0] }, "seed \(seed)")
    }

    /// How the second copy of a voyage in one batch differs from the first.
    enum SecondThoughts: String, CaseIterable, CustomTestStringConvertible {
        case remarks, departsEarlier, anotherVessel
        var testDescription: String { rawValue }
    }

    @Test("in a sorted batch a voyage sent twice keeps its order: the later line corrects the earlier", arguments: SecondThoughts.allCases)
    func repeatsKeepTheirOrder(_ change: SecondThoughts) throws {
        let t = try TestStore(vessels: Self.vessels)
        var lines = Array(Self.grouped.prefix(400))
        // A voyage whose vessel's operator has another vessel of its type with a smaller MMSI: a
        // copy moved to that one sorts before it.
        let (original, otherVessel) = Self.voyages.prefix(300).lazy.compactMap { voyage -> (Voyage, Vessel)? in
            let vessel = Self.register[voyage.mmsi]!
            return Self.vessels.filter { $0.operator == vessel.operator && $0.type == vessel.type && $0.mmsi < vessel.mmsi }
                .min { $0.mmsi < $1.mmsi }.map { (voyage, $0) }
        }.first!
        #expect(lines.contains(VoyageNDJSON.line(original)))
        var copy = original
        switch change {
        case .remarks:
            copy.remarks = "second thoughts"
        case .departsEarlier:
            // An hour earlier: by its own place the copy would be written before the first, which
            // would then correct it back.
            copy.departedAt = Instant(millisecondsSinceEpoch: copy.departedAt.millisecondsSinceEpoch - 3_600_000)
        case .anotherVessel:
            copy.mmsi = otherVessel.mmsi
        }
        lines.insert(VoyageNDJSON.line(copy), at: 350)
        let summary = try Self.importLines(lines, into: t, batchSize: 401)
        #expect(summary.corrected == 1)
        let stored = try t.store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT mmsi, departedAt, remarks FROM voyage WHERE operator = ? AND movementId = ?",
                             arguments: [copy.operator, copy.movementId])
        }
        #expect(stored?["mmsi"] == copy.mmsi.rawValue)
        #expect(stored?["departedAt"] == copy.departedAt.millisecondsSinceEpoch)
        #expect(stored?["remarks"] == copy.remarks)
    }

    @Test("a resend that corrects a voyage and then sends it as stored: the later line corrects it back, within one compared run too")
    func correctedThenRestored() throws {
        let t = try TestStore(vessels: Self.vessels)
        let lines = Array(Self.grouped.prefix(400))
        let first = try Self.importLines(lines, into: t, batchSize: 500)
        // Ten voyages each sent with other remarks, then as stored: the two lines sort side by
        // side, most pairs inside one run of the store's comparing statement, which compares
        // both with the voyage as it was before the run.
        let chosen = Self.voyages.prefix(300).enumerated().filter { $0.offset % 30 == 7 }.map(\.element)
        var resend: [String] = []
        for line in lines {
            if let voyage = chosen.first(where: { VoyageNDJSON.line($0) == line }) {
                var other = voyage
                other.remarks = "second thoughts"
                resend.append(VoyageNDJSON.line(other))
            }
            resend.append(line)
        }
        #expect(resend.count == lines.count + chosen.count)
        let summary = try Self.importLines(resend, into: t, batchSize: 500)
        #expect(summary.corrected == 2 * chosen.count)
        #expect(summary.accepted == 0 && summary.duplicates == first.accepted + first.duplicates - chosen.count)
        for voyage in chosen {
            let remarks = try t.store.writer.read { db in
                try String?.fetchOne(db, sql: "SELECT remarks FROM voyage WHERE operator = ? AND movementId = ?",
                                     arguments: [voyage.operator, voyage.movementId])
            }
            #expect(remarks == voyage.remarks, "\(voyage.key)")
        }
    }
}
