public import PortDailyCore

/// A position kept for the cross-check: when, where, and the reported speed over ground.
public struct TrackPoint: Sendable, Equatable {
    public var at: Instant
    public var position: GeoPoint
    /// Knots; nil when the message said "not available" (then the speed is taken from the track).
    public var sog: Double?

    public init(at: Instant, position: GeoPoint, sog: Double?) {
        self.at = at
        self.position = position
        self.sog = sog
    }
}

/// How a track is read and matched; the defaults suit harbour craft.
public struct CrossCheckSettings: Sendable, Equatable {
    /// Above this speed (knots) the vessel is moving.
    public var movingKnots = 1.0
    /// A movement lasts at least this long (shorter drifts and turns at a berth are not one).
    public var minimumMovementMilliseconds: Int64 = 3 * 60_000
    /// A pause shorter than this does not end a movement (a tug waiting off a berth).
    public var minimumStopMilliseconds: Int64 = 10 * 60_000
    /// No position for longer than this is no coverage: the vessel may have moved unseen.
    public var coverageGapMilliseconds: Int64 = 30 * 60_000
    /// A reported voyage and a movement match when they overlap with this much slack either side.
    public var toleranceMilliseconds: Int64 = 15 * 60_000
    /// Stationary positions closer together than this may be dropped when stored (never the
    /// first or last of a stop).
    public var stationaryThinningMilliseconds: Int64 = 60_000

    public init() {}
}

/// A span of time: a movement, a gap in coverage.
public struct TimeSpan: Sendable, Equatable {
    public var start: Instant
    public var end: Instant
    public init(start: Instant, end: Instant) {
        self.start = start
        self.end = end
    }

    public var milliseconds: Int64 { end.millisecondsSinceEpoch - start.millisecondsSinceEpoch }

    func overlaps(_ other: TimeSpan) -> Bool { start <= other.end && other.start <= end }
}

/// What AIS saw a vessel do: moving from one area (nil: at sea, outside every area) to another.
public struct Movement: Sendable, Equatable {
    public var span: TimeSpan
    public var fromArea: String?
    public var toArea: String?
    /// The berths it left and reached, when the areas name berths near those positions.
    public var fromBerth: String? = nil
    public var toBerth: String? = nil
    /// Along the track, nautical miles.
    public var distance: Double
}

/// A vessel's positions in time order, read into movements and gaps in coverage.
public struct Track: Sendable {
    public let points: [TrackPoint]
    public let movements: [Movement]
    public let gaps: [TimeSpan]

    public init(points: [TrackPoint], setup: PortSetup, settings: CrossCheckSettings) {
        let points = points.sorted { $0.at < $1.at }
        self.points = points
        var gaps: [TimeSpan] = []
        var moving = [Bool](repeating: false, count: points.count)
        for index in points.indices {
            if index > 0 {
                let previous = points[index - 1], point = points[index]
                let elapsed = point.at.millisecondsSinceEpoch - previous.at.millisecondsSinceEpoch
                if elapsed > settings.coverageGapMilliseconds { gaps.append(TimeSpan(start: previous.at, end: point.at)) }
            }
            moving[index] = Self.speed(points, index) > settings.movingKnots
        }
        self.gaps = gaps
        // Runs of moving positions; a pause shorter than the minimum stop, with no gap in
        // coverage, joins two runs.
        var runs: [(first: Int, last: Int)] = []
        for index in points.indices where moving[index] {
            if let run = runs.last {
                let pause = points[index].at.millisecondsSinceEpoch - points[run.last].at.millisecondsSinceEpoch
                let gapBetween = (run.last..<index).contains { i in
                    points[i + 1].at.millisecondsSinceEpoch - points[i].at.millisecondsSinceEpoch > settings.coverageGapMilliseconds
                }
                if pause <= settings.minimumStopMilliseconds, !gapBetween {
                    runs[runs.count - 1].last = index
                    continue
                }
            }
            runs.append((index, index))
        }
        var movements: [Movement] = []
        for run in runs {
            let span = TimeSpan(start: points[run.first].at, end: points[run.last].at)
            guard span.milliseconds >= settings.minimumMovementMilliseconds else { continue }
            // Where it was before it moved and where it came to rest, when seen; else the run's ends.
            var before = run.first
            if run.first > 0, points[run.first].at.millisecondsSinceEpoch - points[run.first - 1].at.millisecondsSinceEpoch
                <= settings.coverageGapMilliseconds { before = run.first - 1 }
            var after = run.last
            if run.last + 1 < points.count, points[run.last + 1].at.millisecondsSinceEpoch - points[run.last].at.millisecondsSinceEpoch
                <= settings.coverageGapMilliseconds { after = run.last + 1 }
            var distance = 0.0
            for i in run.first..<run.last { distance += points[i].position.nauticalMiles(to: points[i + 1].position) }
            let fromArea = setup.area(at: points[before].position), toArea = setup.area(at: points[after].position)
            movements.append(Movement(span: span, fromArea: fromArea?.id, toArea: toArea?.id,
                                      fromBerth: fromArea?.berth(near: points[before].position)?.id,
                                      toBerth: toArea?.berth(near: points[after].position)?.id, distance: distance))
        }
        self.movements = movements
    }

    /// The reported speed, or where it is not available the speed from the previous position.
    private static func speed(_ points: [TrackPoint], _ index: Int) -> Double {
        if let sog = points[index].sog { return sog }
        guard index > 0 else { return 0 }
        let hours = Double(points[index].at.millisecondsSinceEpoch - points[index - 1].at.millisecondsSinceEpoch) / 3_600_000
        guard hours > 0 else { return 0 }
        return points[index - 1].position.nauticalMiles(to: points[index].position) / hours
    }

    /// Whether positions were received throughout the span: one at or before its start and one
    /// at or after its end, each within the coverage gap, and no gap in between.
    public func covers(_ span: TimeSpan, settings: CrossCheckSettings) -> Bool {
        let gap = settings.coverageGapMilliseconds
        let seenBefore = points.contains { $0.at <= span.start && span.start.millisecondsSinceEpoch - $0.at.millisecondsSinceEpoch <= gap }
        let seenAfter = points.contains { $0.at >= span.end && $0.at.millisecondsSinceEpoch - span.end.millisecondsSinceEpoch <= gap }
        return seenBefore && seenAfter && !gaps.contains { $0.overlaps(span) && $0.start < span.end && $0.end > span.start }
    }

    /// The milliseconds of `span` with coverage: between consecutive positions no further apart
    /// than the coverage gap.
    public func coveredMilliseconds(of span: TimeSpan, settings: CrossCheckSettings) -> Int64 {
        var total: Int64 = 0
        for index in points.indices.dropFirst() {
            let a = points[index - 1].at, b = points[index].at
            guard b.millisecondsSinceEpoch - a.millisecondsSinceEpoch <= settings.coverageGapMilliseconds else { continue }
            let start = max(a, span.start), end = min(b, span.end)
            if start < end { total += end.millisecondsSinceEpoch - start.millisecondsSinceEpoch }
        }
        return total
    }
}
