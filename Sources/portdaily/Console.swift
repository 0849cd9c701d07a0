import Foundation
import ArgumentParser
import PortDailyCore

/// Writing to the terminal: documents on stdout, messages and progress on stderr.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("portdaily: \(message)\n".utf8))
    }

    static func progress(_ message: String) {
        FileHandle.standardError.write(Data("\r\(message)\u{1B}[K".utf8))
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func writeJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        FileHandle.standardOutput.write(data)
    }

    static func writeCSV(header: [String], rows: [[String?]], byteOrderMark: Bool = false) {
        var text = byteOrderMark ? CSVWriter.byteOrderMark : ""
        text += CSVWriter.row(header)
        for row in rows { text += CSVWriter.row(row) }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Output formats of the listing commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, csv
}

