import Logging
import Metrics
public import PortDailyAIS
public import PortDailyCore
import PortDailyLogging
public import PortDailyStore
import Synchronization

/// Where the daemon's AIS feeds meet: lines decoded (one decoder for all feeds, so a
/// transmission heard by two receivers is kept once), positions of the register's vessels queued,
/// then written to the store in batches by ``flush()``. Safe to call from any event loop.
public final class AISIngestor: Sendable {
    private struct State {
        var decoder: AISDecoder
        var ingest: PositionIngest
        var queued: [(mmsi: Int, point: TrackPoint)] = []
        /// What the metrics were last told, to add only the difference.
        var reportedCounts = AISCounts()
        var reportedIngest = PositionIngest.Counts()
        var reportedThinned = 0
        var registerVersion: Int64?
    }

    private let state: Mutex<State>
    let store: PortDailyStore
    let clock: any WallClock
    private let lines = Counter(label: MetricName.aisLines)
    private let decoded = Counter(label: MetricName.aisDecoded)
    private let stored = Counter(label: MetricName.aisPositionsStored)

    /// The register is read by ``reloadRegister()`` (the feed service calls it before it listens,
    /// not while the daemon assembles: a national register is read after READY=1), and again at a
    /// flush whenever it changed (a store that cannot be read then is read at the next flush: a
    /// damaged store must not stop the daemon).
    public init(store: PortDailyStore, settings: CrossCheckSettings, clock: any WallClock) {
        self.store = store
        self.clock = clock
        state = Mutex(State(decoder: AISDecoder(), ingest: PositionIngest(registered: [], settings: settings)))
    }

    /// Decodes lines received now from feed `feed`; the register's positions wait for ``flush()``.
    public func receive(_ line: UnsafeBufferPointer<UInt8>, feed: Int) {
        let now = clock.now
        state.withLock { state in
            guard let message = state.decoder.decode(line: line, arrivedAt: now, feed: feed) else { return }
            state.queued += state.ingest.accept(message)
        }
    }

    /// Writes the queued positions (and, at the end, those the thinner still holds); updates the
    /// metrics. Returns how many positions were new in the store.
    @discardableResult
    public func flush(final: Bool = false) throws -> Int {
        // A register changed by the API or the command line: its vessels' positions kept from now on.
        let version = try store.versions().registerVersion
        if state.withLock({ $0.registerVersion != version }) {
            try reloadRegister()
            state.withLock { $0.registerVersion = version }
        }
        let (batch, counts, ingestCounts, thinned, before) = state.withLock { state in
            if final { state.queued += state.ingest.flush() }
            defer { state.queued.removeAll(keepingCapacity: true) }
            let before = (state.reportedCounts, state.reportedIngest, state.reportedThinned)
            state.reportedCounts = state.decoder.counts
            state.reportedIngest = state.ingest.counts
            state.reportedThinned = state.ingest.thinned
            return (state.queued, state.decoder.counts, state.ingest.counts, state.ingest.thinned, before)
        }
        report(counts, ingestCounts, thinned, since: before)
        let new = try store.insertPositions(batch)
        if new > 0 { stored.increment(by: new) }
        return new
    }

    /// The register changed: positions of vessels added are kept from now on, of removed ones dropped.
    public func reloadRegister() throws {
        let registered = Set(try store.register().keys.compactMap { Int($0.rawValue) })
        state.withLock { $0.ingest.setRegistered(registered) }
    }

    public var counts: (decoder: AISCounts, ingest: PositionIngest.Counts) {
        state.withLock { ($0.decoder.counts, $0.ingest.counts) }
    }

    private func report(_ counts: AISCounts, _ ingest: PositionIngest.Counts, _ thinned: Int,
                        since before: (AISCounts, PositionIngest.Counts, Int)) {
        let (old, oldIngest, _) = before
        if counts.lines > old.lines { lines.increment(by: counts.lines - old.lines) }
        if counts.decoded > old.decoded { decoded.increment(by: counts.decoded - old.decoded) }
        var dropped: [(String, Int)] = [("duplicate", counts.duplicates - old.duplicates),
                                        ("skipped type", counts.skipped - old.skipped),
                                        ("not registered", ingest.notRegistered - oldIngest.notRegistered),
                                        ("no position", ingest.noPosition - oldIngest.noPosition),
                                        ("no time", ingest.noTime - oldIngest.noTime)]
        for reason in AISRefusal.allCases {
            dropped.append((reason.rawValue, counts.refused[reason, default: 0] - old.refused[reason, default: 0]))
        }
        for (reason, count) in dropped where count > 0 {
            Counter(label: MetricName.aisDropped, dimensions: [("reason", reason)]).increment(by: count)
        }
    }
}
