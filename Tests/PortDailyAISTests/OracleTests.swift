import Foundation
import PortDailyAIS
import PortDailyCore
import PortDailyTestSupport
import Testing

/// The decoder against two independent decoders on real recordings: pyais (every field) and
/// gpsd's gpsdecode (the fields it prints).
@Suite("AIS decoding against pyais and gpsdecode")
struct OracleTests {
    @Test("every message of the recordings equals pyais's decode, field by field", .enabled(if: AISFixtures.hasPyais || AISFixtures.required),
          arguments: AISFixtures.recordings)
    func pyais(recording: String) throws {
        let path = AISFixtures.recording(recording)
        let ours = try AISFixtures.decode(file: path, keepDuplicates: true)
        let run = try CommandLineTool.shell("python3 \(AISFixtures.oracle("pyais_decode.py")) \(path)")
        #expect(run.status == 0, "\(run.stderr)")
        let theirs = AISFixtures.ndjson(run.stdout)
        // Messages shorter than a type needs are refused here (gpsd's rule) and decoded there.
        let long = theirs.filter { ($0["bits"] as? Int ?? 0) >= AISMessage.minimumBits($0["type"] as? Int ?? 0) }
        #expect(ours.counts.refused[.truncated, default: 0] == theirs.count - long.count)
        #expect(ours.objects.count == long.count, "\(recording): \(ours.objects.count) messages against pyais's \(long.count)")
        #expect(long.count > 50 || recording.hasPrefix("gpsd"))
        var mismatches: [String] = []
        for (index, (mine, other)) in zip(ours.objects, long).enumerated() {
            var other = other
            other["bits"] = nil
            var mine = mine
            mine["channel"] = nil
            mine["ownVessel"] = nil
            let found = AISFixtures.differences(mine, other)
            if !found.isEmpty { mismatches.append("message \(index + 1) (MMSI \(mine["mmsi"] ?? "?")): \(found.joined(separator: "; "))") }
        }
        #expect(mismatches.isEmpty, "\(recording):\n\(mismatches.prefix(20).joined(separator: "\n"))")
        // Every decoded type is there to compare.
        if recording == "gpsd-sample-sentences.aivdm" {
            #expect(Set(ours.messages.map(\.type)) == AISMessage.decodedTypes)
        }
    }

    @Test("positions, static data and base station times equal gpsdecode's", .enabled(if: AISFixtures.hasGpsdecode || AISFixtures.required),
          arguments: AISFixtures.recordings)
    func gpsdecode(recording: String) throws {
        let path = AISFixtures.recording(recording)
        let ours = try AISFixtures.decode(file: path, keepDuplicates: true)
        let run = try CommandLineTool.shell("/usr/bin/gpsdecode -j < \(path)")
        #expect(run.status == 0 && !run.stdout.isEmpty, "gpsdecode: status \(run.status), \(run.stderr)")
        // gpsd merges a type 24's two parts into one report; the other types compare one to one.
        let compared: Set<Int> = [1, 2, 3, 4, 5, 18, 19]
        let theirs = AISFixtures.ndjson(run.stdout).filter { compared.contains($0["type"] as? Int ?? 0) }.map(Self.portDailyNames)
        let mine = ours.objects.filter { compared.contains($0["type"] as? Int ?? 0) }
        #expect(theirs.count > 50 || recording.hasPrefix("gpsd"))
        // gpsd refuses some sentences PortDaily and pyais read (a channel field of "0", a Unix time
        // after the checksum): each of its messages must equal the next of ours that matches, in
        // order, and no more than those few of ours go unmatched.
        var mismatches: [String] = []
        var next = 0
        for (index, b) in theirs.enumerated() {
            let fields = Set(b.keys)
            guard let found = mine[next...].firstIndex(where: { AISFixtures.differences($0, b, fields: fields).isEmpty }) else {
                let a = next < mine.count ? mine[next] : [:]
                mismatches.append("gpsdecode's message \(index + 1) (MMSI \(b["mmsi"] ?? "?")): \(AISFixtures.differences(a, b, fields: fields).joined(separator: "; "))")
                continue
            }
            next = found + 1
        }
        let unmatched = mine.count - theirs.count
        #expect(unmatched >= 0 && unmatched <= mine.count / 15, "\(recording): \(mine.count) messages against gpsdecode's \(theirs.count)")
        #expect(mismatches.isEmpty, "\(recording):\n\(mismatches.prefix(20).joined(separator: "\n"))")
    }

    /// gpsd's JSON in PortDaily's names, its "not available" values left out as PortDaily does.
    static func portDailyNames(_ gpsd: [String: Any]) -> [String: Any] {
        var object: [String: Any] = ["type": gpsd["type"]!, "mmsi": gpsd["mmsi"]!]
        let type = gpsd["type"] as? Int ?? 0
        if let lat = gpsd["lat"] as? Double, let lon = gpsd["lon"] as? Double, abs(lat) <= 90, abs(lon) <= 180 {
            object["lat"] = lat
            object["lon"] = lon
        } else if [1, 2, 3, 4, 18, 19].contains(type) {
            object["lat"] = NSNull()  // compared as a field: PortDaily must leave it out too
        }
        if [1, 2, 3, 18, 19].contains(type) {
            let speed = gpsd["speed"] as? Double ?? 102.3, course = gpsd["course"] as? Double ?? 360, heading = gpsd["heading"] as? Int ?? 511
            object["sog"] = speed < 102.25 ? speed : NSNull()
            object["cog"] = course < 360 ? course : NSNull()
            object["heading"] = heading < 360 ? heading : NSNull()
        }
        if [1, 2, 3].contains(type) { object["navStatus"] = gpsd["status"] }
        if let shipType = gpsd["shiptype"] { object["shipType"] = shipType }
        for (from, to) in [("shipname", "name"), ("callsign", "callSign"), ("destination", "destination")] {
            if let text = gpsd[from] as? String, !text.isEmpty { object[to] = text }
        }
        if let imo = gpsd["imo"] as? Int, imo != 0 { object["imo"] = imo }
        if let bow = gpsd["to_bow"] as? Int, let stern = gpsd["to_stern"] as? Int, let port = gpsd["to_port"] as? Int,
           let starboard = gpsd["to_starboard"] as? Int, bow + stern + port + starboard > 0 {
            object["dimensions"] = ["bow": bow, "stern": stern, "port": port, "starboard": starboard]
        }
        if type == 4, let stamp = gpsd["timestamp"] as? String, let instant = ISO8601.parse(stamp) {
            object["stationTime"] = ISO8601.format(instant)
        }
        return object
    }
}
