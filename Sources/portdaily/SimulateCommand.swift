import ArgumentParser
import Foundation
import PortDailyCore
import PortDailySimulation

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a realistic register (vessels.csv) and movement feed (voyages.ndjson) for the configured port.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Number of vessels.") var vessels = 31
    @Option(help: "Number of days.") var days = 1
    @Option(help: "Mean jobs per vessel per day.") var jobsPerVesselDay = 6.0
    @Option(help: "Share of legs crossing jurisdictions (0-1).") var crossShare = 1.0 / 60
    @Option(help: "Random seed: the same seed gives the same data.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("First simulated day (default: so the last day is yesterday).", valueName: "YYYY-MM-DD"))
    var start: String?
    @Option(help: "Output folder.") var out: String

    func validate() throws {
        guard vessels > 0, vessels <= 10_000_000 else { throw ValidationError("--vessels must be from 1 to 10000000") }
        guard days > 0, days <= 3660 else { throw ValidationError("--days must be from 1 to 3660") }
        guard (0...1).contains(crossShare) else { throw ValidationError("--cross-share must be from 0 to 1") }
        guard jobsPerVesselDay >= 0, jobsPerVesselDay <= 50 else { throw ValidationError("--jobs-per-vessel-day must be from 0 to 50") }
    }

    func run() throws {
        let configuration = try common.loadConfiguration()
        let calendar = configuration.calendar
        let firstDay: LocalDate
        if let start {
            guard let parsed = LocalDate(start) else { throw UsageError(message: "--start: not a date YYYY-MM-DD: \(start)") }
            firstDay = parsed
        } else {
            firstDay = calendar.localDate(of: SystemClock.now).adding(days: -days)
        }
        let simulation = PortSimulation(
            setup: configuration.setup, calendar: calendar,
            parameters: SimulationParameters(vessels: vessels, days: days, jobsPerVesselDay: jobsPerVesselDay,
                                             crossShare: crossShare, seed: seed, firstDay: firstDay))
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let register = simulation.vessels()
        var text = CSVWriter.row(Vessel.fieldNames)
        for vessel in register { text += CSVWriter.row(vessel.fieldValues) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent("vessels.csv"))

        let path = URL(fileURLWithPath: out).appendingPathComponent("voyages.ndjson").path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw UsageError(message: "cannot write \(path)")
        }
        defer { try? handle.close() }
        var buffer = Data()
        var count = 0
        simulation.voyages(of: register) { voyage in
            buffer.append(contentsOf: VoyageNDJSON.line(voyage).utf8)
            count += 1
            if buffer.count > 1 << 20 { handle.write(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        handle.write(buffer)
        try Console.writeJSON(SimulationSummary(vessels: register.count, voyages: count, firstDay: firstDay,
                                                lastDay: firstDay.adding(days: days - 1), out: out))
    }
}

struct SimulationSummary: Encodable {
    let vessels: Int
    let voyages: Int
    let firstDay: LocalDate
    let lastDay: LocalDate
    let out: String
}
