import Foundation

/// A point in decimal degrees, in GeoJSON's order: longitude, then latitude.
public struct GeoPoint: Hashable, Sendable, Codable {
    public var lon: Double
    public var lat: Double
    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }
}

/// A simple polygon: one closed ring (GeoJSON's Polygon without holes, first point repeated
/// last). Port waters span a few kilometres, so edges are straight lines in degrees (the
/// difference from great-circle edges is centimetres at that size).
public struct GeoPolygon: Hashable, Sendable, Codable {
    /// The ring, closed: `ring.first == ring.last`.
    public let ring: [GeoPoint]
    public let minLon: Double, maxLon: Double, minLat: Double, maxLat: Double

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case tooFewPoints(Int)
        case notClosed
        case outOfRange(index: Int)
        /// Two edges cross (each edge numbered by its first point, from 0).
        case selfCrossing(edge: Int, other: Int)

        public var description: String {
            switch self {
            case .tooFewPoints(let count): return "a ring needs at least 4 points (3 corners and the first again), not \(count)"
            case .notClosed: return "the ring is not closed: its last point must repeat its first"
            case .outOfRange(let index): return "point \(index) is not [longitude -180...180, latitude -90...90]"
            case .selfCrossing(let edge, let other): return "the ring crosses itself: edge \(edge) crosses edge \(other)"
            }
        }
    }

    /// A checked polygon, or the first problem found.
    public static func make(_ ring: [GeoPoint]) -> Result<GeoPolygon, Problem> {
        guard ring.count >= 4 else { return .failure(.tooFewPoints(ring.count)) }
        guard ring.first == ring.last else { return .failure(.notClosed) }
        if let index = ring.firstIndex(where: { !(-180...180).contains($0.lon) || !(-90...90).contains($0.lat) }) {
            return .failure(.outOfRange(index: index))
        }
        let polygon = GeoPolygon(checked: ring)
        let edges = ring.count - 1
        for a in 0..<edges {
            for b in (a + 1)..<edges {
                // Neighbouring edges share a point; the first and last edges share the closing one.
                let adjacent = b == a + 1 || (a == 0 && b == edges - 1)
                if adjacent {
                    // Ordered so the first edge's end is the second's start.
                    let folds = b == a + 1 ? Self.collinearOverlap(ring[a], ring[a + 1], ring[b], ring[b + 1])
                        : Self.collinearOverlap(ring[b], ring[b + 1], ring[a], ring[a + 1])
                    if folds {
                        return .failure(.selfCrossing(edge: a, other: b))
                    }
                } else if Self.segmentsIntersect(ring[a], ring[a + 1], ring[b], ring[b + 1]) {
                    return .failure(.selfCrossing(edge: a, other: b))
                }
            }
        }
        return .success(polygon)
    }

    private init(checked ring: [GeoPoint]) {
        self.ring = ring
        minLon = ring.map(\.lon).min()!
        maxLon = ring.map(\.lon).max()!
        minLat = ring.map(\.lat).min()!
        maxLat = ring.map(\.lat).max()!
    }

    /// Whether the point lies inside (even-odd rule; a point exactly on an edge may go either way).
    public func contains(_ point: GeoPoint) -> Bool {
        guard point.lon >= minLon, point.lon <= maxLon, point.lat >= minLat, point.lat <= maxLat else { return false }
        var inside = false
        var j = ring.count - 2
        for i in 0..<(ring.count - 1) {
            let a = ring[i], b = ring[j]
            if (a.lat > point.lat) != (b.lat > point.lat) {
                let crossing = (b.lon - a.lon) * (point.lat - a.lat) / (b.lat - a.lat) + a.lon
                if point.lon < crossing { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// Whether the two share any water: an edge of one crosses an edge of the other, or one lies
    /// inside the other. (Touching along a shared border counts as overlapping: boundaries drawn
    /// for adjacent areas should leave a gap, however small, so no position belongs to both.)
    public func overlaps(_ other: GeoPolygon) -> Bool {
        guard minLon <= other.maxLon, other.minLon <= maxLon, minLat <= other.maxLat, other.minLat <= maxLat else { return false }
        for a in 0..<(ring.count - 1) {
            for b in 0..<(other.ring.count - 1)
            where Self.segmentsIntersect(ring[a], ring[a + 1], other.ring[b], other.ring[b + 1]) { return true }
        }
        return contains(other.ring[0]) || other.contains(ring[0])
    }

    /// The orientation of c against the line a→b: > 0 left, < 0 right, 0 on it.
    private static func cross(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint) -> Double {
        (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)
    }

    private static func onSegment(_ a: GeoPoint, _ b: GeoPoint, _ p: GeoPoint) -> Bool {
        min(a.lon, b.lon) <= p.lon && p.lon <= max(a.lon, b.lon) && min(a.lat, b.lat) <= p.lat && p.lat <= max(a.lat, b.lat)
    }

    /// Whether segments p1-p2 and q1-q2 have a point in common (touching included).
    static func segmentsIntersect(_ p1: GeoPoint, _ p2: GeoPoint, _ q1: GeoPoint, _ q2: GeoPoint) -> Bool {
        let d1 = cross(q1, q2, p1), d2 = cross(q1, q2, p2), d3 = cross(p1, p2, q1), d4 = cross(p1, p2, q2)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        if d1 == 0 && onSegment(q1, q2, p1) { return true }
        if d2 == 0 && onSegment(q1, q2, p2) { return true }
        if d3 == 0 && onSegment(p1, p2, q1) { return true }
        if d4 == 0 && onSegment(p1, p2, q2) { return true }
        return false
    }

    /// Neighbouring edges meet at one point; they overlap only when they fold back along one line.
    private static func collinearOverlap(_ a1: GeoPoint, _ a2: GeoPoint, _ b1: GeoPoint, _ b2: GeoPoint) -> Bool {
        // a2 == b1 is their shared point: they overlap when b2 lies on a1-a2, or a1 on b1-b2.
        cross(a1, a2, b2) == 0 && (onSegment(a1, a2, b2) || onSegment(b1, b2, a1)) && b2 != a2
    }
}

extension GeoPoint {
    /// The distance to another point in nautical miles (equirectangular: exact enough within a port).
    public func nauticalMiles(to other: GeoPoint) -> Double {
        let meanLat = (lat + other.lat) / 2 * .pi / 180
        let dx = (other.lon - lon) * cos(meanLat)
        let dy = other.lat - lat
        return (dx * dx + dy * dy).squareRoot() * 60
    }
}

/// Finds the port area holding a position, fast enough for millions of positions: the areas with
/// a boundary in an array (no copies of their names per lookup), the last area found tried first
/// (a vessel's consecutive positions are mostly in one area).
public struct AreaLocator: Sendable {
    private let polygons: [GeoPolygon]
    /// For each polygon, its area's index in `setup.portAreas`.
    private let indices: [Int]

    public init(_ setup: PortSetup) {
        var polygons: [GeoPolygon] = []
        var indices: [Int] = []
        for (index, area) in setup.portAreas.enumerated() {
            if let boundary = area.boundary {
                polygons.append(boundary)
                indices.append(index)
            }
        }
        self.polygons = polygons
        self.indices = indices
    }

    /// The index in `setup.portAreas` of the area holding the point, nil at sea. `hint`: the
    /// index found for the previous position, tried first.
    public func areaIndex(at point: GeoPoint, hint: Int? = nil) -> Int? {
        if let hint, let slot = indices.firstIndex(of: hint), polygons[slot].contains(point) { return hint }
        for slot in polygons.indices where polygons[slot].contains(point) { return indices[slot] }
        return nil
    }
}
