import Foundation
import PortDailyConfig
import PortDailyCore
import PortDailySimulation
import PortDailyStore

/// P3: a national day (by default 10,000 vessels, about 100,000 voyages) folded into daily reports,
/// and the cost of one late voyage on that day once it is sealed.
///
///     fold-bench CONFIG WORK_DIR [VESSELS] [JOBS_PER_VESSEL_DAY]
///
/// Prints `P3-…` lines: `NAME ratio=R value=V UNIT baseline=B UNIT`, ratio = baseline / value.
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: fold-bench CONFIG WORK_DIR [VESSELS] [JOBS_PER_VESSEL_DAY]\n".utf8))
    exit(2)
}
let configuration = try ConfigLoader.load(path: arguments[1])
let work = arguments[2]
let vesselCount = arguments.count > 3 ? Int(arguments[3]) ?? 10_000 : 10_000
let jobsPerVesselDay = arguments.count > 4 ? Double(arguments[4]) ?? 10 : 10
let day = LocalDate(year: 2026, month: 3, day: 2)!
let rules = StoreRules(setup: configuration.setup, calendar: configuration.calendar)

let simulation = PortSimulation(
    setup: configuration.setup, calendar: configuration.calendar,
    parameters: SimulationParameters(vessels: vesselCount, days: 1, jobsPerVesselDay: jobsPerVesselDay,
                                     crossShare: 1.0 / 60, seed: 42, firstDay: day, unadmittedShare: 0))
let vessels = simulation.vessels()
var voyages: [Voyage] = []
simulation.voyages(of: vessels) { voyages.append($0) }
let register = Dictionary(uniqueKeysWithValues: vessels.map { ($0.mmsi, $0) })

/// The median wall time of `runs` runs, in seconds.
func median(_ runs: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    return times.sorted()[runs / 2]
}

func line(_ name: String, value: Double, baseline: Double, unit: String, scale: Double, note: String) {
    print(String(format: "%@ ratio=%.3f value=%.3f %@ baseline=%.3f %@   (%@)", name, baseline / value, value * scale, unit,
                 baseline * scale, unit, note))
}

// The fold of the day in memory: every vessel's voyages in time order, folded into its reports,
// each encoded as the canonical JSON the store keeps. Baseline: grouping the same voyages by
// vessel and sorting each group by time, the least any fold must do.
var sink = 0
let baseline = median {
    for (_, group) in Dictionary(grouping: voyages, by: \.mmsi) { sink &+= group.sorted(by: ReportFold.timeOrder).count }
}
let fold = rules.fold
var reportCount = 0
let folded = median {
    reportCount = 0
    for (mmsi, group) in Dictionary(grouping: voyages, by: \.mmsi) {
        for report in fold.reports(vessel: register[mmsi]!, date: day, voyages: group) {
            sink &+= ReportJSON.encode(report).utf8.count
            reportCount += 1
        }
    }
}
line("P3-fold-day", value: folded, baseline: baseline, unit: "s", scale: 1,
     note: "\(voyages.count) voyages of \(vessels.count) vessels into \(reportCount) reports; goal < 1 s")

// The same day through the store: inserted and folded into stored revisions in batches of the
// configured size, as `portdaily voyages import` does.
try? FileManager.default.removeItem(atPath: work)
let store = try PortDailyStore(path: work + "/fold.sqlite")
_ = try store.upsertVessels(vessels, rules: rules, now: Instant(millisecondsSinceEpoch: 0))
let receipt = configuration.calendar.startOfDay(day.adding(days: 1))
let stored = try median(1) {
    let batch = configuration.ingest.batchSize
    for start in stride(from: 0, to: voyages.count, by: batch) {
        let slice = voyages[start..<min(start + batch, voyages.count)]
        _ = try store.ingest(slice.enumerated().map { ValidatedVoyage(line: start + $0.offset + 1, voyage: $0.element) },
                             rules: rules, now: receipt)
    }
}
print(String(format: "  stored fold of the day (insert + fold + revisions, %d-voyage transactions): %.2f s",
             configuration.ingest.batchSize, stored))

// One late voyage: after the day is sealed, a voyage of one vessel arrives. It must fold that
// vessel-day again (a new revision), not the day. Baseline: one voyage on the next, open day.
let sealed = try store.seal(rules: rules, now: configuration.calendar.startOfDay(day.adding(days: 3)))
precondition(sealed.sealedThrough.map { $0 >= day } ?? false, "the day did not seal")
func oneVoyage(_ index: Int, on date: LocalDate, tag: String) -> [ValidatedVoyage] {
    let vessel = vessels[(index * 7919) % vessels.count]
    let departed = configuration.calendar.startOfDay(date).adding(milliseconds: 23 * 3_600_000 + 52 * 60_000)
    let voyage = Voyage(movementId: "bench-\(tag)-\(index)", operator: vessel.operator, mmsi: vessel.mmsi, job: .berthingAssist,
                        departedAt: departed, fromArea: configuration.setup.portAreas[0].id,
                        arrivedAt: departed.adding(milliseconds: 5 * 60_000), toArea: configuration.setup.portAreas[0].id)
    return [ValidatedVoyage(line: 1, voyage: voyage)]
}
var lateRevisions: [RevisionWritten] = []
var round = 0
let late = try median(9) {
    round += 1
    let result = try store.ingest(oneVoyage(round, on: day, tag: "late"), rules: rules, now: receipt.adding(milliseconds: 3 * 86_400_000))
    lateRevisions += result.revisions
}
round = 0
let onTime = try median(9) {
    round += 1
    _ = try store.ingest(oneVoyage(round, on: day.adding(days: 1), tag: "open"), rules: rules, now: receipt)
}
precondition(lateRevisions.count == 9 && lateRevisions.allSatisfy { $0.late && $0.revision == 2 },
             "a late voyage should write one new revision of one report: \(lateRevisions)")
line("P3-late-voyage", value: late, baseline: onTime, unit: "ms", scale: 1000,
     note: "one new revision of one vessel-day; the day's fold is \(String(format: "%.0f", folded / late))x that")
if sink == 42 { print("") }
