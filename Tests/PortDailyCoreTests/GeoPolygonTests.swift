import PortDailyCore
import PortDailySimulation
import PortDailyTestSupport
import Testing

@Suite("Polygons")
struct GeoPolygonTests {
    static func polygon(_ points: [(Double, Double)]) throws -> GeoPolygon {
        try GeoPolygon.make(points.map { GeoPoint(lon: $0.0, lat: $0.1) }).get()
    }

    @Test("a concave ring: points in its notch are outside, its arms inside")
    func concave() throws {
        // A "U": the notch between x 1..2 from y 1 up is outside.
        let u = try Self.polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3), (0, 0)])
        #expect(u.contains(GeoPoint(lon: 0.5, lat: 2.5)) && u.contains(GeoPoint(lon: 2.5, lat: 2.5)) && u.contains(GeoPoint(lon: 1.5, lat: 0.5)))
        #expect(!u.contains(GeoPoint(lon: 1.5, lat: 2)) && !u.contains(GeoPoint(lon: 4, lat: 1)) && !u.contains(GeoPoint(lon: 1.5, lat: -1)))
    }

    @Test("contains agrees with a grid count on random convex rings (seeded): a square's inside is its area")
    func randomSquares() throws {
        let seed = TestSeed.make()
        var random = SeededGenerator(seed: seed)
        for _ in 0..<50 {
            let x = Double.random(in: -170...170, using: &random), y = Double.random(in: -80...80, using: &random)
            let side = Double.random(in: 0.01...5, using: &random)
            let square = try Self.polygon([(x, y), (x + side, y), (x + side, y + side), (x, y + side), (x, y)])
            for _ in 0..<100 {
                let p = GeoPoint(lon: x + Double.random(in: -side...(2 * side), using: &random), lat: y + Double.random(in: -side...(2 * side), using: &random))
                let expected = p.lon > x && p.lon < x + side && p.lat > y && p.lat < y + side
                #expect(square.contains(p) == expected, "seed \(seed): \(p) in square at \(x), \(y) side \(side)")
            }
        }
    }

    @Test("overlap: crossing edges, one inside the other, a shared border; apart is no overlap")
    func overlaps() throws {
        let a = try Self.polygon([(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)])
        #expect(a.overlaps(try Self.polygon([(1, 1), (3, 1), (3, 3), (1, 3), (1, 1)])))
        #expect(a.overlaps(try Self.polygon([(0.5, 0.5), (1, 0.5), (1, 1), (0.5, 0.5)])))
        #expect(try Self.polygon([(0.5, 0.5), (1, 0.5), (1, 1), (0.5, 0.5)]).overlaps(a))
        #expect(a.overlaps(try Self.polygon([(2, 0), (4, 0), (4, 2), (2, 2), (2, 0)])))
        #expect(!a.overlaps(try Self.polygon([(2.1, 0), (4, 0), (4, 2), (2.1, 2), (2.1, 0)])))
    }

    @Test("a ring folding back on itself along one line is refused")
    func foldBack() {
        #expect(GeoPolygon.make([(0, 0), (2, 0), (1, 0), (1, 1), (0, 0)].map { GeoPoint(lon: $0.0, lat: $0.1) })
            == .failure(.selfCrossing(edge: 0, other: 1)))
    }
}
