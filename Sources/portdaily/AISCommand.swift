import ArgumentParser
import Foundation
import PortDailyAIS
import PortDailyCore

struct AISCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ais", abstract: "AIS: decode NMEA recordings.",
        subcommands: [AISDecodeCommand.self])
}

struct AISDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode AIVDM/AIVDO sentences into one JSON object a message (NDJSON on stdout).",
        discussion: """
            Reads NMEA 0183 lines (any talker; NMEA 4.10 tag blocks; a leading timestamp) and prints the \
            messages of types 1-5, 18, 19 and 24; other types are counted and skipped. Messages heard \
            twice (same MMSI and payload within 10 s, or among the last 4,096 when lines carry no time) \
            are dropped. A summary of what was decoded, skipped and refused, by reason, goes to stderr \
            as one JSON object. Exit status 0 whatever the input held.
            """)

    @Argument(help: ArgumentHelp("The recording, or - for standard input.", valueName: "FILE")) var file: String
    @Flag(help: "Print every message, also those heard before from another receiver.") var keepDuplicates = false

    func run() throws {
        let descriptor: Int32 = file == "-" ? STDIN_FILENO : open(file, O_RDONLY)
        guard descriptor >= 0 else { throw UsageError(message: "cannot read \(file): \(String(cString: strerror(errno)))") }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        var options = AISDecoder.Options()
        options.dropDuplicates = !keepDuplicates
        var decoder = AISDecoder(options: options)
        var splitter = LineSplitter()
        var output = JSONWriter(capacity: 1 << 17)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        func emit(_ line: UnsafeBufferPointer<UInt8>) {
            guard let message = decoder.decode(line: line) else { return }
            message.writeJSON(into: &output)
            output.newline()
            if output.bytes.count >= 1 << 16 { Self.write(&output) }
        }
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw UsageError(message: "reading \(file): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            chunk.withUnsafeBufferPointer { splitter.feed(UnsafeBufferPointer(rebasing: $0[0..<count]), emit) }
        }
        splitter.finish(emit)
        decoder.finish()
        Self.write(&output)
        var summary = JSONWriter()
        decoder.counts.writeJSON(into: &summary)
        summary.newline()
        FileHandle.standardError.write(Data(summary.bytes))
    }

    private static func write(_ output: inout JSONWriter) {
        output.bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue }; Foundation.exit(1) }
                offset += written
            }
        }
        output.removeAll()
    }
}
