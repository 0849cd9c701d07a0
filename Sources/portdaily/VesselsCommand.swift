import ArgumentParser
import Foundation
import PortDailyCore
import PortDailyStore

struct VesselsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vessels", abstract: "The register of vessels admitted to daily reporting.",
        subcommands: [Import.self, List.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Insert or update register entries from a CSV file.",
            discussion: "Header: \(Vessel.fieldNames.joined(separator: ",")). Prints a JSON summary; exit 1 if any row was rejected.")

        @OptionGroup var common: CommonOptions
        @Argument(help: ArgumentHelp("The CSV file, or - for stdin.", valueName: "file")) var file: String

        func run() throws {
            let (configuration, store, rules) = try common.open()
            let validator = VesselValidator(setup: configuration.setup)
            var reader = RecordReader(format: .csv, allowedFields: Vessel.fieldNameSet, requiredFields: Vessel.requiredFieldNames)
            var records: [Result<RawRecord, RecordIssue>] = []
            try InputFile.read(file) { chunk in reader.feed(chunk) { records.append($0) } }
            reader.finish { records.append($0) }
            var summary = RegisterImportSummary()
            if let issue = reader.headerIssue { summary.rejections.append(issue) }
            var vessels: [Vessel] = []
            for record in records {
                switch record {
                case .failure(let issue): summary.rejections.append(issue)
                case .success(let raw):
                    do {
                        let (vessel, warnings) = try validator.validate(raw.fields)
                        vessels.append(vessel)
                        summary.warnings += warnings.map { RecordIssue(line: raw.line, $0) }
                    } catch { summary.rejections.append(RecordIssue(line: raw.line, error)) }
                }
            }
            let update = try store.upsertVessels(vessels, rules: rules, now: SystemClock.now, by: CommandLineActor.current)
            summary.inserted = update.inserted
            summary.updated = update.updated
            summary.unchanged = update.unchanged
            summary.rejected = summary.rejections.count
            try Console.writeJSON(summary)
            if summary.rejected > 0 { throw ExitCode(1) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the register.")

        @OptionGroup var common: CommonOptions
        @Option(help: "json or csv.") var format: OutputFormat = .json
        @Option(name: .customLong("operator"), help: "Only this operator's vessels.") var operatorID: String?

        func run() throws {
            let (_, store, _) = try common.open()
            let vessels = try store.vessels(operator: operatorID)
            switch format {
            case .json: try Console.writeJSON(vessels)
            case .csv: Console.writeCSV(header: Vessel.fieldNames, rows: vessels.map(\.fieldValues))
            }
        }
    }
}

struct RegisterImportSummary: Encodable {
    var inserted = 0
    var updated = 0
    var unchanged = 0
    var rejected = 0
    var rejections: [RecordIssue] = []
    var warnings: [RecordIssue] = []
}
