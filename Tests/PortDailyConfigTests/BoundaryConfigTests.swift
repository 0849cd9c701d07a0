import Foundation
import PortDailyConfig
import PortDailyCore
import Testing

@Suite("Configuration: port area boundaries")
struct BoundaryConfigTests {
    static func config(_ areas: String) -> String {
        """
        database: pd.sqlite
        bureaus:
          - id: north
          - id: south
        portAreas:
        \(areas)
        """
    }

    static let square = "[[117.70, 38.98], [117.79, 38.98], [117.79, 39.04], [117.70, 39.04], [117.70, 38.98]]"

    @Test("the example config gives every area a boundary, none overlapping; positions fall in the right area")
    func example() throws {
        let config = try ConfigLoader.load(path: ConfigTests.exampleConfig)
        #expect(config.setup.portAreas.allSatisfy { $0.boundary != nil })
        // The Beijiang container terminals, Nanjiang's island, and the Bohai outside the port.
        #expect(config.setup.area(at: GeoPoint(lon: 117.75, lat: 39.01))?.id == "beijiang")
        #expect(config.setup.area(at: GeoPoint(lon: 117.78, lat: 38.96))?.id == "nanjiang")
        #expect(config.setup.area(at: GeoPoint(lon: 118.10, lat: 38.95)) == nil)
    }

    @Test("a ring that crosses itself, is not closed, has too few points or a point out of range is refused, naming the area",
          arguments: [
              ("[[117.70, 38.98], [117.79, 39.04], [117.79, 38.98], [117.70, 39.04], [117.70, 38.98]]", "crosses itself"),
              ("[[117.70, 38.98], [117.79, 38.98], [117.79, 39.04], [117.70, 39.04]]", "not closed"),
              ("[[117.70, 38.98], [117.79, 38.98], [117.70, 38.98]]", "at least 4 points"),
              ("[[117.70, 38.98], [117.79, 38.98], [117.79, 39.04], [117.75, 38.98], [117.70, 38.98]]", "crosses itself"),
          ])
    func badRings(ring: String, message: String) {
        do {
            _ = try ConfigLoader.parse(Self.config("  - id: n1\n    bureau: north\n    boundary: \(ring)"), file: "test.yaml")
            Issue.record("accepted \(ring)")
        } catch {
            #expect(error.key == "portAreas[1].boundary" && error.line == 8, "\(error)")
            #expect(error.description.contains("area 'n1'") && error.description.contains(message), "\(error)")
        }
        do {
            _ = try ConfigLoader.parse(Self.config("  - id: n1\n    bureau: north\n    boundary: [[117.7, 38.9], [200, 38.9], [117.8, 39], [117.7, 38.9]]"), file: "test.yaml")
            Issue.record("accepted a longitude of 200")
        } catch {
            #expect(error.key == "portAreas[1].boundary[2][1]", "\(error)")
        }
    }

    @Test("areas that overlap, or one inside another, are refused naming both; apart they are taken")
    func overlaps() throws {
        let inside = "[[117.72, 39.00], [117.75, 39.00], [117.75, 39.02], [117.72, 39.02], [117.72, 39.00]]"
        let across = "[[117.75, 38.95], [117.85, 38.95], [117.85, 39.00], [117.75, 39.00], [117.75, 38.95]]"
        let apart = "[[117.80, 38.95], [117.85, 38.95], [117.85, 39.00], [117.80, 39.00], [117.80, 38.95]]"
        for other in [inside, across] {
            do {
                _ = try ConfigLoader.parse(Self.config("""
                      - id: n1
                        bureau: north
                        boundary: \(Self.square)
                      - id: s1
                        bureau: south
                        boundary: \(other)
                    """), file: "test.yaml")
                Issue.record("accepted overlapping areas")
            } catch {
                #expect(error.key == "portAreas[2].boundary" && error.description.contains("'s1' overlaps area 'n1'"), "\(error)")
            }
        }
        let config = try ConfigLoader.parse(Self.config("""
              - id: n1
                bureau: north
                boundary: \(Self.square)
              - id: s1
                bureau: south
                boundary: \(apart)
              - id: x1
                bureau: south
            """), file: "test.yaml")
        #expect(config.setup.area(at: GeoPoint(lon: 117.82, lat: 38.97))?.id == "s1")
        #expect(config.setup.area(at: GeoPoint(lon: 117.71, lat: 38.99))?.id == "n1")
        #expect(config.setup.area(at: GeoPoint(lon: 117.795, lat: 38.99)) == nil)
        #expect(config.setup.area("x1")?.boundary == nil)
    }
}
