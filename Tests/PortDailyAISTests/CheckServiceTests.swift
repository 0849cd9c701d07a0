import Foundation
import Logging
import PortDailyAIS
import PortDailyAISFeed
import PortDailyConfig
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Synchronization
import Testing

/// Keeps what is logged, for the test to read.
final class LogBook: Sendable {
    let entries = Mutex<[(message: String, metadata: [String: String])]>([])

    struct Handler: LogHandler {
        let book: LogBook
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).mapValues { "\($0)" }
            book.entries.withLock { $0.append(("\(event.message)", fields)) }
        }
    }

    var logger: Logger { Logger(label: "test") { _ in Handler(book: self) } }
}

@Suite("The daemon's AIS check: journal entries for movements nobody reported")
struct CheckServiceTests {
    @Test("each new unreported movement is logged once with its MESSAGE_ID, vessel and bureaus; a later run tells nothing again")
    func unreportedOnce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = SyntheticFeed.config
        configuration.database = directory.appendingPathComponent("pd.sqlite").path
        let store = try PortDailyStore(path: configuration.database)
        _ = try store.upsertVessels([Vessel(mmsi: MMSI("412000001")!, name: "津港拖1号", type: "tug", operator: "op1",
                                            homeBureau: "beijiang-msa", admittedFrom: LocalDate("2026-01-01")!)],
                                    rules: StoreRules(setup: configuration.setup, calendar: configuration.calendar),
                                    now: SyntheticFeed.time("00:00"))
        var feed = SyntheticFeed(mmsi: CrossCheckTests.tugMMSI)
        feed.stay("beijiang", "00:00", "10:00")
        feed.move("beijiang", "dongjiang", "10:01", "10:30")
        feed.stay("dongjiang", "10:31", "19:00")
        var ingest = PositionIngest(registered: [CrossCheckTests.tugMMSI], settings: CrossCheckSettings())
        let positions = AISFixtures.decode(lines: feed.lines).messages.flatMap { ingest.accept($0) } + ingest.flush()
        try store.insertPositions(positions)

        let book = LogBook()
        let clock = ManualClock(SyntheticFeed.time("20:00"))
        let service = AISCheckService(store: store, live: LiveConfiguration(configuration), clock: clock, logger: book.logger)
        let first = service.checkOnce()
        #expect(first.map(\.kind) == [.unreportedMovement])
        let entries = book.entries.withLock { $0 }
        #expect(entries.count == 1)
        #expect(entries.first?.metadata["MESSAGE_ID"] == "ad8c4275d24f4364bb8f9ce28575747e")
        #expect(entries.first?.metadata["VESSEL_MMSI"] == "412000001" && entries.first?.metadata["BUREAU"] == "beijiang-msa,dongjiang-msa")
        #expect(entries.first?.metadata["REPORT_DATE"] == "2026-03-02" && entries.first?.metadata["TO_AREA"] == "dongjiang")
        #expect(service.checkOnce().isEmpty && book.entries.withLock { $0.count } == 1)
        // The next morning the day is still checked (as yesterday) and nothing is told twice.
        clock.set(SyntheticFeed.time("20:00").adding(milliseconds: 12 * 3_600_000))
        #expect(service.checkOnce().isEmpty)
    }
}
