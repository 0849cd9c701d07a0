import ArgumentParser
import PortDailyCore
import PortDailyStore

struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "Print the reports of a day: consolidated daily reports and per-voyage reports.",
        discussion: "The latest revision of each; --revisions prints every revision of the matching reports.")

    @OptionGroup var common: CommonOptions
    @Option(help: ArgumentHelp("The local report date.", valueName: "YYYY-MM-DD")) var date: String
    @Option(help: "Only reports shared with this bureau.") var bureau: String?
    @Option(help: ArgumentHelp("Only this vessel's reports.", valueName: "MMSI")) var vessel: String?
    @Option(help: "json or csv.") var format: OutputFormat = .json
    @Flag(help: "With CSV, start with a UTF-8 byte order mark (for spreadsheet programs).") var bom = false
    @Flag(help: "Every revision, not only the latest.") var revisions = false

    func run() throws {
        guard let day = LocalDate(date) else { throw UsageError(message: "--date: not a date YYYY-MM-DD: \(date)") }
        var mmsi: MMSI?
        if let vessel {
            guard let parsed = MMSI(vessel) else { throw UsageError(message: "--vessel: not an MMSI: \(vessel)") }
            mmsi = parsed
        }
        let (configuration, store, rules) = try common.open()
        if let bureau, configuration.setup.bureau(bureau) == nil {
            throw UsageError(message: "--bureau: unknown bureau '\(bureau)'")
        }
        // Days the daemon's submissions left stale are folded first, so every stored voyage shows.
        try store.foldStaleDays(mmsi.map { .day(VesselDay(mmsi: $0, date: day)) } ?? .date(day), rules: rules, now: SystemClock.now)
        var reports = try store.latestReports(ReportFilter(date: day, bureau: bureau, mmsi: mmsi))
        if revisions { reports = try reports.flatMap { try store.revisions(ofReport: $0.report.reportId) } }
        switch format {
        case .json: try Console.writeJSON(reports)
        case .csv: Console.writeCSV(header: ReportCSV.header, rows: reports.map(ReportCSV.fields), byteOrderMark: bom)
        }
    }
}
