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

    func report(_ id: String) throws -> ReportRevision? {
        try store.latestReports(ReportFilter()).first { $0.report.reportId == id }
    }
}
