import ArgumentParser
import Foundation
import PortDailyCore
import PortDailyStore

struct VoyagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voyages", abstract: "Movement legs: import, cancel, audit trail.",
        subcommands: [Import.self, Cancel.self, History.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import voyages from CSV or NDJSON.",
            discussion: """
                Fields: \(Voyage.fieldNames.joined(separator: ",")). Prints a JSON summary with the counts \
                accepted, duplicates, corrected and rejected, and one {line, field, reason} per rejected record. \
                Exit status 0 when nothing was rejected, 1 otherwise, 2 on usage or configuration errors.
                """)

        @OptionGroup var common: CommonOptions
        @Option(help: "csv or ndjson (default: from the file name).") var format: InputFormat?
        @Flag(help: "Refuse the whole file if any record is rejected.") var allOrNothing = false
        @Argument(help: ArgumentHelp("The file, or - for stdin.", valueName: "file")) var file: String

        func run() throws {
            guard let format = format?.recordFormat ?? RecordFormat(fileName: file) else {
                throw UsageError(message: "cannot tell the format of \(file): name it .csv or .ndjson, or pass --format")
            }
            let (configuration, store, rules) = try common.open(checkpoints: .bulkImport)
            let validator = VoyageValidator(
                setup: configuration.setup, register: try store.register(), now: SystemClock.now,
                earliestDeparture: configuration.ingest.earliestDepartureInstant,
                maxFutureMilliseconds: configuration.ingest.maxFutureMilliseconds)
            var importer = VoyageImporter(store: store, rules: rules, validator: validator, format: format,
                                          batchSize: configuration.ingest.batchSize, allOrNothing: allOrNothing)
            importer.deferringOpenDays = true
            importer.actor = CommandLineActor.current
            importer.bulkWrite = BulkWritePolicy(transactionTime: .milliseconds(configuration.ingest.transactionMilliseconds),
                                                 cacheKiB: configuration.ingest.importCacheMiB * 1024)
            let showProgress = Console.stderrIsTerminal
            var bytesRead = 0
            var lastProgress = Date()
            try InputFile.read(file) { chunk in
                try importer.feed(chunk)
                bytesRead += chunk.count
                if showProgress, Date().timeIntervalSince(lastProgress) > 0.5 {
                    lastProgress = Date()
                    Console.progress("portdaily: \(importer.summary.records) records stored, \(bytesRead / 1_048_576) MiB read")
                }
            }
            let summary = try importer.finish()
            if showProgress { Console.progress("") }
            try Console.writeJSON(VoyageImportReport(summary: summary, refused: importer.refused))
            if summary.rejected > 0 || !summary.committed { throw ExitCode(1) }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw a voyage (audited).")

        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("operator"), help: "The operator that submitted it.") var operatorID: String
        @Option(help: "The operator's movement id.") var movementId: String
        @Option(help: "Why it is withdrawn (kept in the audit trail).") var reason: String

        func run() throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw UsageError(message: "--reason must not be empty") }
            let (_, store, rules) = try common.open()
            do {
                let revisions = try store.cancel(VoyageKey(operator: operatorID, movementId: movementId), reason: reason,
                                                 rules: rules, now: SystemClock.now, by: CommandLineActor.current)
                try Console.writeJSON(CancelReport(cancelled: movementId, operator: operatorID,
                                                   reportsRevised: revisions.map { RevisedReport($0) }))
            } catch let error as StoreError {
                Console.error(error.description)
                throw ExitCode(1)
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print who submitted a voyage, and each correction and its cancellation with who made it.")

        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("operator")) var operatorID: String
        @Option var movementId: String

        func run() throws {
            let (_, store, _) = try common.open()
            try Console.writeJSON(try store.history(VoyageKey(operator: operatorID, movementId: movementId)))
        }
    }
}

/// `--format` of an import.
enum InputFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, ndjson
    var recordFormat: RecordFormat { self == .csv ? .csv : .ndjson }
}

struct VoyageImportReport: Encodable {
    let summary: ImportSummary
    let refused: Int

    enum Keys: String, CodingKey { case accepted, duplicates, corrected, rejected, rejections, warnings, committed, refused }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(summary.accepted, forKey: .accepted)
        try c.encode(summary.duplicates, forKey: .duplicates)
        try c.encode(summary.corrected, forKey: .corrected)
        try c.encode(summary.rejected, forKey: .rejected)
        try c.encode(summary.rejections, forKey: .rejections)
        try c.encode(summary.warnings, forKey: .warnings)
        try c.encode(summary.committed, forKey: .committed)
        try c.encode(refused, forKey: .refused)
    }
}

struct RevisedReport: Encodable {
    let reportId: String
    let revision: Int
    let late: Bool
    init(_ written: RevisionWritten) { reportId = written.reportId; revision = written.revision; late = written.late }
}

struct CancelReport: Encodable {
    let cancelled: String
    let `operator`: String
    let reportsRevised: [RevisedReport]
}
