import ArgumentParser
import Foundation
import PortDailyAIS
import PortDailyCore
import PortDailyStore

struct AISCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ais", abstract: "AIS: decode recordings, load them into the store, check the reports against the tracks.",
        subcommands: [AISDecodeCommand.self, AISImportCommand.self, AISCheckCommand.self])
}

/// Reads NMEA lines from a file or stdin through a decoder, handing on each decoded message.
enum AISInput {
    static func decode(_ file: String, decoder: inout AISDecoder, _ body: (AISMessage) throws -> Void) throws {
        var splitter = LineSplitter()
        var failure: (any Error)?
        func line(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard failure == nil, let message = decoder.decode(line: bytes) else { return }
            do { try body(message) } catch { failure = error }
        }
        try InputFile.read(file) { chunk in
            chunk.withUnsafeBytes { raw in splitter.feed(raw.bindMemory(to: UInt8.self), line) }
            if let failure { throw failure }
        }
        splitter.finish(line)
        decoder.finish()
        if let failure { throw failure }
    }

    static func writeStdout(_ output: inout JSONWriter) {
        FileHandle.standardOutput.write(Data(output.bytes))
        output.removeAll()
    }
}

struct AISDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode AIVDM/AIVDO sentences into one JSON object a message (NDJSON on stdout).",
        discussion: """
            Reads NMEA 0183 lines (any talker; NMEA 4.10 tag blocks; a leading timestamp or a Unix time \
            after the checksum) and prints the messages of types 1-5, 18, 19 and 24; other types are \
            counted and skipped. Messages heard twice (same MMSI and payload within 10 s, or among the \
            last 4,096 when lines carry no time) are dropped. A summary of what was decoded, skipped and \
            refused, by reason, goes to stderr as one JSON object. Exit status 0 whatever the input held.
            """)

    @Argument(help: ArgumentHelp("The recording, or - for standard input.", valueName: "FILE")) var file: String
    @Flag(help: "Print every message, also those heard before from another receiver.") var keepDuplicates = false

    func run() throws {
        var options = AISDecoder.Options()
        options.dropDuplicates = !keepDuplicates
        var decoder = AISDecoder(options: options)
        var output = JSONWriter(capacity: 1 << 17)
        try AISInput.decode(file, decoder: &decoder) { message in
            message.writeJSON(into: &output)
            output.newline()
            if output.bytes.count >= 1 << 16 { AISInput.writeStdout(&output) }
        }
        AISInput.writeStdout(&output)
        var summary = JSONWriter()
        decoder.counts.writeJSON(into: &summary)
        summary.newline()
        FileHandle.standardError.write(Data(summary.bytes))
    }
}

struct AISImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load an AIS recording's positions of the register's vessels into the store.",
        discussion: """
            Decodes the recording as `ais decode` does; keeps the position reports of vessels in the \
            register that carry a receive time (a tag block, a timestamp on the line), thinning \
            stationary ones to one a minute (never the first or last of a stop). Prints what was \
            decoded, stored and dropped, by reason, as one JSON object.
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("The recording, or - for standard input.", valueName: "FILE")) var file: String

    func run() throws {
        let (configuration, store, _) = try common.open()
        let registered = Set(try store.register().keys.compactMap { Int($0.rawValue) })
        var ingest = PositionIngest(registered: registered, settings: configuration.ais.crossCheck)
        var decoder = AISDecoder()
        var batch: [(mmsi: Int, point: TrackPoint)] = []
        var stored = 0
        try AISInput.decode(file, decoder: &decoder) { message in
            batch += ingest.accept(message)
            if batch.count >= 50_000 {
                stored += try store.insertPositions(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        batch += ingest.flush()
        stored += try store.insertPositions(batch)
        let counts = ingest.counts
        var summary = JSONWriter()
        summary.beginObject()
        summary.key("decode")
        decoder.counts.writeJSON(into: &summary)
        summary.field("stored", stored)
        summary.field("alreadyStored", counts.kept - stored)
        summary.field("thinned", ingest.thinned)
        summary.field("notRegistered", counts.notRegistered)
        summary.field("noPosition", counts.noPosition)
        summary.field("noTime", counts.noTime)
        summary.endObject()
        summary.newline()
        FileHandle.standardOutput.write(Data(summary.bytes))
    }
}

struct AISCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a day's reports against the vessels' AIS tracks: unreported movements, unconfirmed voyages, area mismatches.",
        discussion: """
            JSON: {"date", "discrepancies": [...], "vesselDays": [coverage and outcome per vessel-day]}. \
            CSV: one row a discrepancy (--coverage: one row a vessel-day instead). Flags are advice \
            for the bureau; no report is changed.
            """)

    @OptionGroup var common: CommonOptions
    @Option(help: ArgumentHelp("The local day.", valueName: "YYYY-MM-DD")) var date: String
    @Option(help: ArgumentHelp("Only this vessel.", valueName: "MMSI")) var vessel: String?
    @Option(help: "Output format.") var format: OutputFormat = .json
    @Flag(help: "CSV: the coverage of each vessel-day instead of the discrepancies.") var coverage = false

    func run() throws {
        guard let day = LocalDate(date) else { throw UsageError(message: "--date: not a date YYYY-MM-DD: \(date)") }
        var mmsi: MMSI?
        if let vessel {
            guard let parsed = MMSI(vessel) else { throw UsageError(message: "--vessel: not an MMSI (nine digits): \(vessel)") }
            mmsi = parsed
        }
        let (configuration, store, _) = try common.open()
        let checks = try store.aisCheck(date: day, vessel: mmsi, setup: configuration.setup, calendar: configuration.calendar,
                                        settings: configuration.ais.crossCheck)
        switch format {
        case .json:
            var writer = JSONWriter()
            VesselDayCheck.writeDayJSON(date: day, checks, into: &writer)
            writer.newline()
            FileHandle.standardOutput.write(Data(writer.bytes))
        case .csv:
            if coverage {
                Console.writeCSV(header: VesselDayCheck.coverageCSVHeader, rows: checks.map(\.coverageCSVFields))
            } else {
                Console.writeCSV(header: Discrepancy.csvHeader, rows: checks.flatMap { $0.discrepancies.map(\.csvFields) })
            }
        }
    }
}
