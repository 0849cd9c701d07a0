import Foundation
import PortDailyAIS
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

    @Test("ais: feeds and the check's thresholds read; defaults without the section; bad values named")
    func aisSettings() throws {
        let example = try ConfigLoader.load(path: ConfigTests.exampleConfig)
        #expect(example.ais.udp == nil && example.ais.tcp.isEmpty && example.ais.retentionMilliseconds == 62 * 86_400_000)
        #expect(example.ais.crossCheck == PortDailyAIS.CrossCheckSettings())
        let configured = try ConfigLoader.parse(Self.config("  - id: n1\n    bureau: north") + """

            ais:
              udp: 0.0.0.0:10110
              tcp: [10.1.2.3:5631, "[::1]:5632"]
              retention: 30d
              movingKnots: 2.5
              tolerance: 20m
            """, file: "test.yaml")
        #expect(configured.ais.udp == .init(host: "0.0.0.0", port: 10110))
        #expect(configured.ais.tcp == [.init(host: "10.1.2.3", port: 5631), .init(host: "::1", port: 5632)])
        #expect(configured.ais.retentionMilliseconds == 30 * 86_400_000 && configured.ais.crossCheck.movingKnots == 2.5)
        #expect(configured.ais.crossCheck.toleranceMilliseconds == 20 * 60_000)
        for (text, key) in [("ais:\n  udp: everywhere", "ais.udp"), ("ais:\n  retention: 2h", "ais.retention"),
                            ("ais:\n  tcp: [host-without-port]", "ais.tcp[1]"), ("ais:\n  coverageGap: 2d", "ais.coverageGap"),
                            ("ais:\n  speed: 3", "ais.speed")] {
            do {
                _ = try ConfigLoader.parse(Self.config("  - id: n1\n    bureau: north") + "\n" + text, file: "test.yaml")
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.key == key, "\(text): \(error)")
            }
        }
    }

    @Test("berths: read with their positions; one outside its area's boundary or a duplicate id is refused, named")
    func berths() throws {
        let example = try ConfigLoader.load(path: ConfigTests.exampleConfig)
        let dongjiang = try #require(example.setup.area("dongjiang"))
        #expect(dongjiang.berths.map(\.id) == ["dj-tug-base", "dj-bunker-1"])
        #expect(dongjiang.berth(near: GeoPoint(lon: 117.851, lat: 39.0455))?.id == "dj-tug-base")
        #expect(dongjiang.berth(near: GeoPoint(lon: 117.870, lat: 39.070)) == nil)
        for (berths, key, message) in [
            ("[{id: b1, position: [118.5, 39.0]}]", "portAreas[1].berths[1].position", "outside the area's boundary"),
            ("[{id: b1, position: [117.72, 39.0]}, {id: b1, position: [117.73, 39.0]}]", "portAreas[1].berths[2].id", "duplicate berth id 'b1'"),
        ] {
            do {
                _ = try ConfigLoader.parse(Self.config("  - id: n1\n    bureau: north\n    boundary: \(Self.square)\n    berths: \(berths)"),
                                           file: "test.yaml")
                Issue.record("accepted \(berths)")
            } catch {
                #expect(error.key == key && error.description.contains(message), "\(error)")
            }
        }
    }
}
