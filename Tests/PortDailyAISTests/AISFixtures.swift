import Foundation
import PortDailyAIS
import PortDailyCore
import PortDailyTestSupport

/// The recordings in Fixtures/ (see its NOTICE), the oracle scripts in Oracles/, and a decode of a
/// file in process the way `portdaily ais decode` does it.
enum AISFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static func recording(_ name: String) -> String { directory.appendingPathComponent("Fixtures/\(name)").path }
    static func oracle(_ name: String) -> String { directory.appendingPathComponent("Oracles/\(name)").path }
    static let recordings = ["risky-ais-excerpt.nmea", "risky-tag-blocks.nmea", "gpsd-sample-sentences.aivdm"]

    /// CI sets this: the oracles must run there, not skip.
    static let required = ProcessInfo.processInfo.environment["PORTDAILY_REQUIRE_AIS_ORACLES"] != nil
    static let hasPyais = ((try? CommandLineTool.shell("python3 -c 'import pyais'"))?.status ?? 1) == 0
    static let hasGpsdecode = FileManager.default.isExecutableFile(atPath: "/usr/bin/gpsdecode")

    struct Decoded {
        var messages: [AISMessage]
        var objects: [[String: Any]]
        var counts: AISCounts
    }

    static func decode(bytes: [UInt8], keepDuplicates: Bool, chunk: Int = 1 << 16) -> Decoded {
        var options = AISDecoder.Options()
        options.dropDuplicates = !keepDuplicates
        var decoder = AISDecoder(options: options)
        var splitter = LineSplitter()
        var messages: [AISMessage] = []
        func line(_ line: UnsafeBufferPointer<UInt8>) {
            if let message = decoder.decode(line: line) { messages.append(message) }
        }
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let end = min(buffer.count, start + chunk)
                splitter.feed(UnsafeBufferPointer(rebasing: buffer[start..<end]), line)
                start = end
            }
        }
        splitter.finish(line)
        decoder.finish()
        return Decoded(messages: messages, objects: messages.map(object), counts: decoder.counts)
    }

    static func decode(file: String, keepDuplicates: Bool) throws -> Decoded {
        decode(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: file))), keepDuplicates: keepDuplicates)
    }

    static func decode(lines: [String], keepDuplicates: Bool = true) -> Decoded {
        decode(bytes: Array(lines.joined(separator: "\n").utf8), keepDuplicates: keepDuplicates)
    }

    /// A message's NDJSON object, as `portdaily ais decode` prints it.
    static func object(_ message: AISMessage) -> [String: Any] {
        var writer = JSONWriter()
        message.writeJSON(into: &writer)
        return (try? JSONSerialization.jsonObject(with: Data(writer.bytes))) as? [String: Any] ?? [:]
    }

    static func ndjson(_ data: Data) -> [[String: Any]] {
        // (By `isNewline`: gpsdecode ends its lines with CR LF, one Character in Swift.)
        String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// The differences between two messages' objects over `fields` (nil: the union of their
    /// keys): positions within 10^-6 degree (pyais and gpsd round to it; the spec's resolution
    /// is 1/600,000), speed and course within 0.05 (a tenth is their step), the rest equal.
    static func differences(_ ours: [String: Any], _ theirs: [String: Any], fields: Set<String>? = nil) -> [String] {
        let keys = fields ?? Set(ours.keys).union(theirs.keys)
        var found: [String] = []
        for key in keys.sorted() {
            let a = ours[key], b = theirs[key]
            // NSNull on their side: "not available", which ours must leave out.
            if b is NSNull {
                if let a { found.append("\(key): \(a) where it is not available") }
                continue
            }
            switch (a, b) {
            case (nil, nil): continue
            case (nil, _), (_, nil): found.append("\(key): \(a.map { "\($0)" } ?? "absent") vs \(b.map { "\($0)" } ?? "absent")")
            case let (x as NSNumber, y as NSNumber):
                let tolerance = ["lat", "lon"].contains(key) ? 1.000001e-6 : (["sog", "cog"].contains(key) ? 0.05 : 0)
                if abs(x.doubleValue - y.doubleValue) > tolerance { found.append("\(key): \(x) vs \(y)") }
            case let (x as [String: Any], y as [String: Any]):
                found += differences(x, y).map { "\(key).\($0)" }
            default:
                if "\(a!)" != "\(b!)" { found.append("\(key): \(a!) vs \(b!)") }
            }
        }
        return found
    }
}
