/// Drops stationary positions closer together than an interval before they are stored, keeping
/// the first and the last of every stop (so a departure is timed from the last position at the
/// berth) and every moving position. Per vessel; no clock: a held position is released by the
/// vessel's next one, or by `flush()` at the end of a recording.
public struct PositionThinner: Sendable {
    private struct State: Sendable {
        var lastKept: TrackPoint
        var lastKeptMoving: Bool
        var held: TrackPoint?
    }

    public let intervalMilliseconds: Int64
    public let movingKnots: Double
    private var vessels: [Int: State] = [:]
    /// Positions dropped.
    public private(set) var dropped = 0

    public init(settings: CrossCheckSettings) {
        intervalMilliseconds = settings.stationaryThinningMilliseconds
        movingKnots = settings.movingKnots
    }

    /// The positions to store now for this one (none, it, or a held one and it).
    public mutating func offer(_ point: TrackPoint, mmsi: Int) -> [TrackPoint] {
        let moving = point.sog.map { $0 > movingKnots } ?? true
        guard var state = vessels[mmsi] else {
            vessels[mmsi] = State(lastKept: point, lastKeptMoving: moving, held: nil)
            return [point]
        }
        guard point.at >= state.lastKept.at else { return [point] }  // out of order: kept as it is
        var out: [TrackPoint] = []
        if moving || state.lastKeptMoving || point.at.millisecondsSinceEpoch - state.lastKept.at.millisecondsSinceEpoch >= intervalMilliseconds {
            // Moving again: the stop's last position first.
            if moving, let held = state.held { out.append(held) }
            if !moving, state.held != nil { dropped += 1 }
            state.held = nil
            state.lastKept = point
            state.lastKeptMoving = moving
            out.append(point)
        } else {
            if state.held != nil { dropped += 1 }
            state.held = point
        }
        vessels[mmsi] = state
        return out
    }

    /// The positions still held (each vessel's latest in its stop).
    public mutating func flush() -> [(mmsi: Int, point: TrackPoint)] {
        var out: [(Int, TrackPoint)] = []
        for (mmsi, state) in vessels {
            if let held = state.held { out.append((mmsi, held)) }
            vessels[mmsi]?.held = nil
        }
        return out.sorted { $0.1.at < $1.1.at }
    }
}
