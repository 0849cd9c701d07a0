import Foundation
import PortDailyAIS
import PortDailyConfig
import PortDailyCore
import PortDailyTestSupport
import Testing

/// A vessel's AIS feed made through the encoder: class A reports with tag block times, as a
/// receiver would record them, over the example config's real port areas.
struct SyntheticFeed {
    static let config = try! ConfigLoader.load(path: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../config/portdaily.yaml").standardized.path)
    static var setup: PortSetup { config.setup }
    static var calendar: ReportCalendar { config.calendar }

    let mmsi: Int
    var lines: [String] = []

    /// The middle of an area's waters (the mean of its ring's corners: the example's rings are convex).
    static func centre(_ area: String) -> GeoPoint {
        let ring = setup.area(area)!.boundary!.ring.dropLast()
        return GeoPoint(lon: ring.map(\.lon).reduce(0, +) / Double(ring.count), lat: ring.map(\.lat).reduce(0, +) / Double(ring.count))
    }

    static func time(_ local: String) -> Instant { ISO8601.parse("2026-03-02T\(local):00+08:00")! }

    mutating func report(_ point: GeoPoint, sog: Double, at: Instant, receiver: String = "rx1") {
        var message = AISMessage(type: 1, mmsi: mmsi)
        message.lat = point.lat
        message.lon = point.lon
        message.sog = sog
        message.navStatus = sog > 1 ? 0 : 5
        lines += AISEncoder.sentences(message, receivedAt: at, source: receiver)
    }

    /// Moored in an area (or at a point) from one local time to another, a report every `every` seconds.
    mutating func stay(_ area: String, _ from: String, _ to: String, every: Int64 = 60) {
        var at = Self.time(from)
        while at <= Self.time(to) {
            report(Self.centre(area), sog: 0, at: at)
            at = at.adding(milliseconds: every * 1000)
        }
    }

    /// Under way from one area's middle to another's at 8 kn-ish, a report every 10 s.
    mutating func move(_ from: String, _ to: String, _ start: String, _ end: String) {
        let a = Self.centre(from), b = Self.centre(to)
        let t0 = Self.time(start), t1 = Self.time(end)
        let total = t1.millisecondsSinceEpoch - t0.millisecondsSinceEpoch
        var elapsed: Int64 = 0
        while elapsed <= total {
            let f = Double(elapsed) / Double(total)
            report(GeoPoint(lon: a.lon + (b.lon - a.lon) * f, lat: a.lat + (b.lat - a.lat) * f), sog: 8.5,
                   at: t0.adding(milliseconds: elapsed))
            elapsed += 10_000
        }
    }

    /// The track the decoder makes of these lines.
    func track(settings: CrossCheckSettings = CrossCheckSettings(), extraLines: [String] = []) -> Track {
        let decoded = AISFixtures.decode(lines: lines + extraLines, keepDuplicates: false)
        let points = decoded.messages.filter { $0.mmsi == mmsi && $0.isPosition }.compactMap { message -> TrackPoint? in
            guard let lat = message.lat, let lon = message.lon, let at = message.receivedAt else { return nil }
            return TrackPoint(at: at, position: GeoPoint(lon: lon, lat: lat), sog: message.sog)
        }
        return Track(points: points, setup: Self.setup, settings: settings)
    }
}

@Suite("AIS cross-check: reported voyages against tracks")
struct CrossCheckTests {
    static let tugMMSI = 412_000_001
    static let date = LocalDate("2026-03-02")!

    static func voyage(_ id: String, _ from: String, _ to: String, _ start: String, _ end: String) -> Voyage {
        Voyage(movementId: id, operator: "op1", mmsi: MMSI(String(tugMMSI))!, job: .berthingAssist,
               departedAt: SyntheticFeed.time(start), fromArea: from, arrivedAt: SyntheticFeed.time(end), toArea: to)
    }

    static func check(_ feed: SyntheticFeed, _ voyages: [Voyage], extraLines: [String] = []) -> VesselDayCheck {
        CrossCheck.check(date: date, mmsi: MMSI(String(tugMMSI))!, voyages: voyages, track: feed.track(extraLines: extraLines),
                         setup: SyntheticFeed.setup, calendar: SyntheticFeed.calendar, settings: CrossCheckSettings())
    }

    @Test("a day whose every movement was reported between the areas AIS saw: all confirmed, nothing flagged")
    func confirmed() {
        var feed = SyntheticFeed(mmsi: Self.tugMMSI)
        feed.stay("beijiang", "00:00", "08:00")
        feed.move("beijiang", "nanjiang", "08:01", "08:40")
        feed.stay("nanjiang", "08:41", "13:00")
        feed.move("nanjiang", "beijiang", "13:01", "13:35")
        feed.stay("beijiang", "13:36", "23:59")
        let result = Self.check(feed, [Self.voyage("M1", "beijiang", "nanjiang", "08:00", "08:45"),
                                       Self.voyage("M2", "nanjiang", "beijiang", "13:05", "13:30")])
        #expect(result.discrepancies.isEmpty, "\(result.discrepancies)")
        #expect(result.confirmed.map(\.movementId) == ["M1", "M2"] && result.noCoverage.isEmpty)
        #expect(result.coverageShare > 0.99 && result.gaps.isEmpty)
    }

    @Test("a movement nobody reported is flagged with the waters AIS saw and their bureaus")
    func unreported() throws {
        var feed = SyntheticFeed(mmsi: Self.tugMMSI)
        feed.stay("beijiang", "00:00", "10:00")
        feed.move("beijiang", "dongjiang", "10:01", "10:30")
        feed.stay("dongjiang", "10:31", "23:59")
        let result = Self.check(feed, [])
        let flag = try #require(result.discrepancies.first)
        #expect(result.discrepancies.count == 1 && flag.kind == .unreportedMovement)
        #expect(flag.fromArea == "beijiang" && flag.toArea == "dongjiang" && flag.voyage == nil)
        #expect(flag.bureaus == ["beijiang-msa", "dongjiang-msa"])
        #expect(flag.span.start == SyntheticFeed.time("10:01") && flag.span.end == SyntheticFeed.time("10:30"))
    }

    @Test("a movement to a named berth says which one")
    func berth() throws {
        var feed = SyntheticFeed(mmsi: Self.tugMMSI)
        let tugBase = GeoPoint(lon: 117.8502, lat: 39.0449)
        feed.stay("beijiang", "00:00", "10:00")
        feed.move("beijiang", "dongjiang", "10:01", "10:30")
        var at = SyntheticFeed.time("10:31")
        while at <= SyntheticFeed.time("12:00") {
            feed.report(tugBase, sog: 0, at: at)
            at = at.adding(milliseconds: 60_000)
        }
        let flag = try #require(Self.check(feed, []).discrepancies.first)
        #expect(flag.toBerth == "dj-tug-base" && flag.fromBerth == nil && flag.detail.contains("dongjiang (berth dj-tug-base)"), "\(flag)")
    }

    @Test("a reported voyage during which AIS saw the vessel moored is unconfirmed")
    func unconfirmed() throws {
        var feed = SyntheticFeed(mmsi: Self.tugMMSI)
        feed.stay("nanjiang", "00:00", "23:59")
        let result = Self.check(feed, [Self.voyage("M7", "nanjiang", "dagukou", "14:00", "15:00")])
        let flag = try #require(result.discrepancies.first)
        #expect(result.discrepancies.count == 1 && flag.kind == .unconfirmedVoyage && flag.voyage?.movementId == "M7")
        #expect(result.confirmed.isEmpty && result.noCoverage.isEmpty)
    }

    @Test("a voyage between other waters than reported: an area mismatch, and whether the report's sharing is wrong")
    func areaMismatch() throws {
        var feed = SyntheticFeed(mmsi: Self.tugMMSI)
        feed.stay("beijiang", "00:00", "08:00")
        feed.move("beijiang", "dongjiang", "08:01", "08:40")
        feed.stay("dongjiang", "08:41", "12:00")
        feed.move("dongjiang", "nanjiang", "12:01", "12:50")
        feed.stay("nanjiang", "12:51", "15:00")
        feed.move("nanjiang", "haihe", "15:01", "15:40")
        feed.stay("haihe", "15:41", "23:59")
        let result = Self.check(feed, [Self.voyage("M1", "beijiang", "nanjiang", "08:00", "08:45"),
                                       Self.voyage("M2", "dongjiang", "nanjiang", "12:00", "12:55"),
                                       // Haihe and Nanjiang are both the Nanjiang MSA's waters.
                                       Self.voyage("M3", "nanjiang", "nanjiang", "15:00", "15:45")])
        #expect(result.confirmed.count == 3)
        let flags = result.discrepancies
        #expect(flags.map(\.kind) == [.areaMismatch, .areaMismatch] && flags.map { $0.voyage?.movementId } == ["M1", "M3"])
        #expect(flags[0].fromArea == "beijiang" && flags[0].toArea == "dongjiang" && flags[0].sharingWrong)
        #expect(flags[0].detail.contains("sharing is wrong"))
        #expect(flags[1].toArea == "haihe" && !flags[1].sharingWrong)
    }

    @Test("a gap in coverage is no coverage, never 'did not move'; a movement inside it is not flagged either")
    func gap() {
        var feed = SyntheticFeed(mmsi: Self.tugMMSI)
        feed.stay("beijiang", "00:00", "15:30")
        feed.stay("nanjiang", "17:30", "23:59")
        let result = Self.check(feed, [Self.voyage("M9", "beijiang", "nanjiang", "16:00", "17:00")])
        #expect(result.discrepancies.isEmpty, "\(result.discrepancies)")
        #expect(result.noCoverage.map(\.movementId) == ["M9"] && result.gaps.count == 1)
        #expect(result.coverageShare < 0.95 && result.coverageShare > 0.85)
    }

    @Test("the same transmissions heard by two receivers give the same check as by one")
    func twoReceivers() {
        var feed = SyntheticFeed(mmsi: Self.tugMMSI)
        feed.stay("beijiang", "00:00", "10:00")
        feed.move("beijiang", "dongjiang", "10:01", "10:30")
        feed.stay("dongjiang", "10:31", "23:59")
        var second = SyntheticFeed(mmsi: Self.tugMMSI)
        second.lines = feed.lines.map { $0.replacingOccurrences(of: "s:rx1", with: "s:rx2") }
        // The tag block's checksum changes with its text.
        second.lines = second.lines.map { line in
            guard line.hasPrefix("\\"), let end = line.dropFirst().firstIndex(of: "*") else { return line }
            let tag = String(line[line.index(after: line.startIndex)..<end])
            let rest = line[line.index(end, offsetBy: 4)...]
            return "\\\(tag)*\(AISEncoder.checksum(tag))\\" + rest
        }
        let merged = zip(feed.lines, second.lines).flatMap { [$0, $1] }
        let one = Self.check(feed, [Self.voyage("M1", "beijiang", "nanjiang", "10:00", "10:35")])
        var both = feed
        both.lines = merged
        let two = Self.check(both, [Self.voyage("M1", "beijiang", "nanjiang", "10:00", "10:35")])
        #expect(one == two && one.discrepancies.map(\.kind) == [.areaMismatch])
        #expect(feed.track().points.count == both.track().points.count)
    }
}

@Suite("Stationary positions thinned")
struct ThinnerTests {
    @Test("one a minute at a berth, the first and last of each stop kept, every moving position kept")
    func thin() {
        var thinner = PositionThinner(settings: CrossCheckSettings())
        var kept: [TrackPoint] = []
        let start = Instant(millisecondsSinceEpoch: 1_772_400_000_000)
        func point(_ second: Int64, _ sog: Double) -> TrackPoint {
            TrackPoint(at: start.adding(milliseconds: second * 1000), position: GeoPoint(lon: 117.75, lat: 39.0), sog: sog)
        }
        // 10 minutes moored, a report every 10 s; then under way for 2 minutes; then moored again.
        for s in stride(from: 0, through: 600, by: 10) { kept += thinner.offer(point(Int64(s), 0), mmsi: 1) }
        for s in stride(from: 610, through: 720, by: 10) { kept += thinner.offer(point(Int64(s), 7), mmsi: 1) }
        for s in stride(from: 730, through: 800, by: 10) { kept += thinner.offer(point(Int64(s), 0), mmsi: 1) }
        kept += thinner.flush().map(\.point)
        let seconds = kept.map { ($0.at.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 1000 }
        #expect(Array(seconds.prefix(12)) == [0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 610])
        #expect(seconds.contains(720) && seconds.contains(730) && seconds.last == 800)
        #expect(seconds.filter { (610...720).contains($0) }.count == 12)
        #expect(thinner.dropped == 61 + 8 - seconds.filter { $0 <= 600 || $0 >= 730 }.count)
    }
}
