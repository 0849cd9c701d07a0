// The AIS figures' data (bench/run): a live feed of many vessels' positions as NMEA lines, and a
// national day (a register, its voyages, and the vessels' tracks written into a store).
//
//   ais-bench feed CONFIG OUT VESSELS SECONDS RATE START   lines of RATE position reports a second
//   ais-bench day CONFIG STORE DIR VESSELS POSITIONS DATE  vessels.csv and voyages.ndjson in DIR;
//                                                         with STORE existing (the register and voyages
//                                                         imported), the tracks written into it
import Foundation
import PortDailyAIS
import PortDailyConfig
import PortDailyCore
import PortDailyStore

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fatalError("usage: ais-bench feed|day ...") }
let configuration = try ConfigLoader.load(path: arguments[2])
let setup = configuration.setup
let areas = setup.portAreas.filter { $0.boundary != nil }

func centre(_ area: PortArea) -> GeoPoint {
    let ring = area.boundary!.ring.dropLast()
    return GeoPoint(lon: ring.map(\.lon).reduce(0, +) / Double(ring.count), lat: ring.map(\.lat).reduce(0, +) / Double(ring.count))
}

func mmsi(_ index: Int) -> Int { 412_100_000 + index }

/// A small deterministic generator (SplitMix64), so every run writes the same data.
struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

switch arguments[1] {
case "feed":
    let out = arguments[3], vessels = Int(arguments[4])!, seconds = Int(arguments[5])!, rate = Int(arguments[6])!
    let start = ISO8601.parse(arguments[7])!
    var text = ""
    text.reserveCapacity(seconds * rate * 80)
    var random = Generator(state: 7)
    for index in 0..<(seconds * rate) {
        let vessel = index % vessels
        let area = areas[vessel % areas.count]
        var message = AISMessage(type: 1, mmsi: mmsi(vessel))
        let c = centre(area)
        // Each report a little further on: no two reports of a vessel are the same payload.
        message.lat = c.lat + Double(random.below(2000)) / 600_000
        message.lon = c.lon + Double(index / vessels % 5000) / 600_000
        message.sog = Double(random.below(120)) / 10
        message.navStatus = 0
        let at = start.adding(milliseconds: Int64(index) * 1000 / Int64(rate))
        message.receivedAt = at
        for line in AISEncoder.sentences(message) { text += "\\c:\(at.millisecondsSinceEpoch)*00\\" + line + "\n" }
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: out))
case "day":
    let storePath = arguments[3], directory = arguments[4], vessels = Int(arguments[5])!, positions = Int(arguments[6])!
    let date = LocalDate(arguments[7])!
    let calendar = configuration.calendar
    let dayStart = calendar.startOfDay(date)
    let homeBureaus = setup.bureaus.map(\.id)
    // Each vessel: six voyages a day, 40 minutes each, from the area it is in to another.
    var schedule: [[(from: PortArea, to: PortArea, start: Instant, end: Instant)]] = []
    var random = Generator(state: 11)
    for _ in 0..<vessels {
        var legs: [(PortArea, PortArea, Instant, Instant)] = []
        var here = areas[random.below(areas.count)]
        for hour in [1, 5, 9, 13, 17, 21] {
            var there = areas[random.below(areas.count)]
            if there.id == here.id { there = areas[(areas.firstIndex { $0.id == here.id }! + 1) % areas.count] }
            let start = dayStart.adding(milliseconds: Int64(hour) * 3_600_000 + Int64(random.below(60)) * 60_000)
            legs.append((here, there, start, start.adding(milliseconds: 40 * 60_000)))
            here = there
        }
        schedule.append(legs)
    }
    if !FileManager.default.fileExists(atPath: storePath) {
        var csv = "mmsi,imo,name,callSign,type,operator,homeBureau,admittedFrom,admittedUntil\n"
        var ndjson = ""
        for vessel in 0..<vessels {
            csv += "\(mmsi(vessel)),,BENCH \(vessel),,tug,op\(vessel % 20),\(homeBureaus[vessel % homeBureaus.count]),2020-01-01,\n"
            for (index, leg) in schedule[vessel].enumerated() {
                let voyage = Voyage(movementId: "B\(vessel)-\(index)", operator: "op\(vessel % 20)", mmsi: MMSI(String(mmsi(vessel)))!,
                                    job: .berthingAssist, departedAt: leg.start, fromArea: leg.from.id, arrivedAt: leg.end,
                                    toArea: leg.to.id)
                ndjson += VoyageNDJSON.line(voyage)
            }
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: directory + "/vessels.csv"))
        try Data(ndjson.utf8).write(to: URL(fileURLWithPath: directory + "/voyages.ndjson"))
        break
    }
    // The tracks: evenly spaced reports over the day, moving along each leg, moored between.
    let store = try PortDailyStore(path: storePath)
    let perVessel = positions / vessels
    let step = 86_400_000 / Int64(perVessel)
    var batch: [(mmsi: Int, point: TrackPoint)] = []
    batch.reserveCapacity(200_000)
    for vessel in 0..<vessels {
        let legs = schedule[vessel]
        var place = centre(legs[0].from)
        for index in 0..<perVessel {
            let at = dayStart.adding(milliseconds: Int64(index) * step + Int64(vessel % 1000))
            var sog = 0.0
            for leg in legs where at >= leg.start && at <= leg.end {
                let f = Double(at.millisecondsSinceEpoch - leg.start.millisecondsSinceEpoch) / Double(leg.end.millisecondsSinceEpoch - leg.start.millisecondsSinceEpoch)
                let a = centre(leg.from), b = centre(leg.to)
                place = GeoPoint(lon: a.lon + (b.lon - a.lon) * f, lat: a.lat + (b.lat - a.lat) * f)
                sog = 8
            }
            if sog == 0, let last = legs.last(where: { $0.end < at }) { place = centre(last.to) }
            batch.append((mmsi(vessel), TrackPoint(at: at, position: place, sog: sog)))
        }
        if batch.count >= 150_000 {
            try store.insertPositions(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }
    try store.insertPositions(batch)
default:
    fatalError("usage: ais-bench feed|day ...")
}
