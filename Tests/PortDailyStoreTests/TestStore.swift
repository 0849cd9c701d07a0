import Foundation
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport

/// A real SQLite file in a fresh temporary folder, removed at deinit.
final class TestStore {
    let directory: URL
    let store: PortDailyStore
    let rules = StoreRules(setup: Fixture.setup, calendar: Fixture.calendar)
    static let receipt = Fixture.instant("2026-03-02T12:00:00+08:00")

    init(vessels: [Vessel] = [Fixture.tug, Fixture.bunker, Fixture.lapsed]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-store-\(UUID().uuidString)")
        store = try PortDailyStore(path: directory.appendingPathComponent("portdaily.sqlite").path)
        _ = try store.upsertVessels(vessels, rules: rules, now: Self.receipt)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var path: String { directory.appendingPathComponent("portdaily.sqlite").path }

    @discardableResult
    func ingest(_ voyages: [Voyage], at now: Instant = TestStore.receipt) throws -> IngestResult {
        try store.ingest(voyages.enumerated().map { ValidatedVoyage(line: $0.offset + 1, voyage: $0.element) },
                         rules: rules, now: now)
    }

    func seal(at text: String) throws -> SealResult { try store.seal(rules: rules, now: Fixture.instant(text)) }

    /// The report list as the API serves it (``ReportDocumentJSON``), through a cache of this store's.
    let listCache = ReportListCache<List>(size: { $0.body.count + $0.identity.count })
    let rowsCache = ReportListCache<[String]>(size: { $0.reduce(0) { $0 + $1.utf8.count } })

    struct List: Sendable {
        let body: [UInt8]
        let identity: [UInt8]
    }

    func list(_ filter: ReportFilter) async throws -> List {
        try await store.latestReports(filter, for: .documents, cachedIn: listCache) { items in
            let (body, identity) = ReportDocumentJSON.list(items)
            return List(body: body, identity: identity)
        }
    }

    func rows(_ filter: ReportFilter) async throws -> [String] {
        try await store.latestReports(filter, for: .csvRows, cachedIn: rowsCache) { items in try items.map { try $0.0.csvRow() } }
    }

    func report(_ id: String) throws -> ReportRevision? {
        try store.latestReports(ReportFilter()).first { $0.report.reportId == id }
    }
}
