import PortDailyCore

/// From decoded messages to the positions worth storing: only the register's vessels, only
/// position reports with a position and a time, stationary ones thinned. Shared by
/// `portdaily ais import` and the daemon's live feeds.
public struct PositionIngest: Sendable {
    public struct Counts: Sendable, Equatable {
        /// Messages of vessels outside the register: counted, dropped.
        public var notRegistered = 0
        /// Position reports without a position ("not available") or without a receive time.
        public var noPosition = 0
        public var noTime = 0
        /// Positions handed on to be stored.
        public var kept = 0
        public init() {}
    }

    public private(set) var registered: Set<Int>
    private var thinner: PositionThinner
    public private(set) var counts = Counts()
    public var thinned: Int { thinner.dropped }

    public init(registered: Set<Int>, settings: CrossCheckSettings) {
        self.registered = registered
        thinner = PositionThinner(settings: settings)
    }

    /// The register changed (the daemon reloads it).
    public mutating func setRegistered(_ mmsis: Set<Int>) { registered = mmsis }

    /// The positions to store for this message (none, or one or two: a held stop's last).
    public mutating func accept(_ message: AISMessage) -> [(mmsi: Int, point: TrackPoint)] {
        guard registered.contains(message.mmsi) else {
            counts.notRegistered += 1
            return []
        }
        guard message.isPosition else { return [] }
        guard let lat = message.lat, let lon = message.lon else {
            counts.noPosition += 1
            return []
        }
        guard let at = message.receivedAt else {
            counts.noTime += 1
            return []
        }
        let out = thinner.offer(TrackPoint(at: at, position: GeoPoint(lon: lon, lat: lat), sog: message.sog), mmsi: message.mmsi)
        counts.kept += out.count
        return out.map { (message.mmsi, $0) }
    }

    /// The positions still held back (the end of a recording, or the daemon stopping).
    public mutating func flush() -> [(mmsi: Int, point: TrackPoint)] {
        let out = thinner.flush()
        counts.kept += out.count
        return out
    }
}
