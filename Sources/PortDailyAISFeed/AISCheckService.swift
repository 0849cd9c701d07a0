public import Logging
import Metrics
public import PortDailyAIS
public import PortDailyConfig
public import PortDailyCore
import PortDailyLogging
public import PortDailyStore
public import ServiceLifecycle
import Synchronization

/// Runs the AIS check of yesterday and today every `interval` and tells of what is new since the
/// last run: a journal entry for each movement nobody reported (`MESSAGE_ID`, `VESSEL_MMSI`,
/// `BUREAU`), within the journal budget, and the discrepancy counters by kind. What was told is
/// remembered while the daemon runs (after a restart it is told once more).
public struct AISCheckService: Service {
    let store: PortDailyStore
    let live: LiveConfiguration
    let clock: any WallClock
    let logger: Logger
    let interval: Duration
    private let told = ToldDiscrepancies()
    private let budget = EntryBudget<Int>(perSecond: 20)

    public init(store: PortDailyStore, live: LiveConfiguration, clock: any WallClock, logger: Logger, interval: Duration = .seconds(900)) {
        self.store = store
        self.live = live
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
            checkOnce()
        }
    }

    /// Checks yesterday and today (local) now; returns the discrepancies new since the last run.
    @discardableResult
    public func checkOnce() -> [Discrepancy] {
        let configuration = live.current
        let today = configuration.calendar.localDate(of: clock.now)
        var new: [Discrepancy] = []
        for date in [today.adding(days: -1), today] {
            do {
                let checks = try store.aisCheck(date: date, setup: configuration.setup, calendar: configuration.calendar,
                                                settings: configuration.ais.crossCheck)
                new += told.keepNew(checks.flatMap(\.discrepancies), today: today)
            } catch {
                logger.event(.storeError, level: .error, "the AIS check of \(date) could not be run", metadata: ["ERROR": "\(error)"])
            }
        }
        for discrepancy in new {
            Counter(label: MetricName.aisDiscrepancies, dimensions: [("kind", discrepancy.kind.rawValue)]).increment()
            guard discrepancy.kind == .unreportedMovement else { continue }
            guard case .write(let unlogged) = budget.admit(1) else { continue }
            var metadata: Logger.Metadata = [
                "VESSEL_MMSI": "\(discrepancy.mmsi)", "BUREAU": "\(discrepancy.bureaus.joined(separator: ","))",
                "REPORT_DATE": "\(discrepancy.date)", "FROM_AREA": "\(discrepancy.fromArea ?? "at sea")",
                "TO_AREA": "\(discrepancy.toArea ?? "at sea")", "FROM": "\(discrepancy.span.start)", "TO": "\(discrepancy.span.end)",
            ]
            if let unlogged { metadata["UNLOGGED"] = "\(unlogged.entries)" }
            logger.event(.aisUnreportedMovement, level: .notice,
                         "AIS: vessel \(discrepancy.mmsi) moved without a reported voyage: \(discrepancy.detail)", metadata: metadata)
        }
        return new
    }
}

/// The discrepancies already told, by kind, vessel and start; those of days before yesterday forgotten.
final class ToldDiscrepancies: Sendable {
    private struct Key: Hashable {
        var kind: Discrepancy.Kind
        var mmsi: MMSI
        var start: Instant
        var voyage: VoyageKey?
        var date: LocalDate
    }

    private let keys = Mutex(Set<Key>())

    func keepNew(_ found: [Discrepancy], today: LocalDate) -> [Discrepancy] {
        keys.withLock { keys in
            keys = keys.filter { $0.date >= today.adding(days: -1) }
            return found.filter { keys.insert(Key(kind: $0.kind, mmsi: $0.mmsi, start: $0.span.start, voyage: $0.voyage, date: $0.date)).inserted }
        }
    }
}
