import Foundation
import PortDailyCore
import PortDailySimulation
import PortDailyTestSupport
import Testing

/// Property-based fuzzing of the input parsers (issue 7): random and mutated inputs, bounded in
/// time (`PORTDAILY_FUZZ_SECONDS`, default 3 s per property), seeded so a failure reproduces.
@Suite("Parser fuzzing")
struct ParserFuzzTests {
    static let seconds = Double(ProcessInfo.processInfo.environment["PORTDAILY_FUZZ_SECONDS"] ?? "") ?? 3
    static let seed = UInt64(ProcessInfo.processInfo.environment["PORTDAILY_FUZZ_SEED"] ?? "") ?? 20_261_125

    /// Valid lines to mutate: a simulated feed in both formats.
    static let corpus: [[UInt8]] = {
        let simulation = PortSimulation(setup: Fixture.setup, calendar: Fixture.calendar,
                                        parameters: SimulationParameters(vessels: 3, days: 1, jobsPerVesselDay: 4, crossShare: 0.3,
                                                                         seed: 1, firstDay: Fixture.date("2026-03-02")))
        var lines: [[UInt8]] = []
        simulation.voyages(of: simulation.vessels()) { voyage in
            lines.append(Array(VoyageNDJSON.line(voyage).utf8))
            lines.append(Array(CSVWriter.row(voyage.fieldValues).utf8))
        }
        return lines
    }()

    static func mutate(_ input: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.insert(contentsOf: [0x22, 0x2C, 0x0A, 0x7B, 0x5B, 0x5C, 0x0D].shuffled(using: &rng).prefix(3), at: position)
            case 2 where !bytes.isEmpty: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...20, using: &rng)))
            case 3: bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: position)
            case 4 where !bytes.isEmpty: bytes = Array(bytes[..<position])
            default: bytes.append(contentsOf: (0..<Int.random(in: 1...30, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            }
        }
        return bytes
    }

    /// Runs `body` on generated inputs until the time budget is spent; returns the count.
    static func forAll(_ body: ([UInt8], inout SeededGenerator) -> Void) -> Int {
        var rng = SeededGenerator(seed: seed)
        let deadline = Date().addingTimeInterval(seconds)
        var count = 0
        while Date() < deadline {
            for _ in 0..<50 {
                let base = Int.random(in: 0..<4, using: &rng) == 0
                    ? (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    : (0..<Int.random(in: 1...5, using: &rng)).flatMap { _ in corpus.randomElement(using: &rng)! }
                body(mutate(base, &rng), &rng)
                count += 1
            }
        }
        print("parser fuzz: \(count) inputs in \(seconds) s (seed \(seed))")
        return count
    }

    @Test("CSV: any bytes parse without a crash, the same in any chunking")
    func csv() {
        let cases = Self.forAll { input, rng in
            let whole = CSVParser.parse(input)
            var parser = CSVParser()
            var chunked: [CSVRow] = []
            var index = 0
            while index < input.count {
                let size = Int.random(in: 1...17, using: &rng)
                parser.feed(input[index..<min(input.count, index + size)]) { chunked.append($0) }
                index += size
            }
            parser.finish { chunked.append($0) }
            #expect(chunked == whole, "input \(input)")
            // Bytes that are not contiguous go through one at a time: the runs taken at once
            // must parse the same, with a short field limit too.
            for limit in [64 * 1024, 5] {
                var runs: [CSVRow] = [], bytes: [CSVRow] = []
                var fast = CSVParser(maxFieldBytes: limit), slow = CSVParser(maxFieldBytes: limit)
                fast.feed(input) { runs.append($0) }
                fast.finish { runs.append($0) }
                slow.feed(input.lazy.map { $0 }) { bytes.append($0) }
                slow.finish { bytes.append($0) }
                #expect(runs == bytes, "limit \(limit), input \(input)")
            }
            #expect(whole.map(\.number) == Array(1...max(1, whole.count)).prefix(whole.count).map { $0 }, "input \(input)")
        }
        #expect(cases > 100)
    }

    @Test("flat JSON: any bytes give an object of strings or a located issue, never a crash")
    func json() {
        let cases = Self.forAll { input, _ in
            switch Result(catching: { () throws(FieldIssue) -> RecordFields in try FlatJSON.parseObject(input) }) {
            case .success(let object):
                // What parses re-encodes and parses back to the same fields.
                let again = "{" + object.dictionary.sorted { $0.key < $1.key }.map { JSONText.quote($0.key) + ":" + JSONText.quote($0.value) }
                    .joined(separator: ",") + "}"
                #expect((try? FlatJSON.parseObject(Array(again.utf8))) == object, "input \(input)")
            case .failure(let issue):
                #expect(!issue.field.isEmpty && !issue.reason.isEmpty, "\(issue) for input \(input)")
            }
            _ = try? FlatJSON.parseDocument(input)
        }
        #expect(cases > 100)
    }

    /// Bytes that are often, but not always, valid UTF-8: ASCII, well-formed sequences of every
    /// length, and stray, truncated, overlong and surrogate sequences.
    static func textBytes(_ rng: inout SeededGenerator) -> [UInt8] {
        let pieces: [[UInt8]] = [
            Array("Tug 7".utf8), Array("津港拖".utf8), Array("é".utf8), Array("🚢".utf8), [0xEF, 0xBF, 0xBD],
            [0x80], [0xC3], [0xE6, 0xB4], [0xF0, 0x9F, 0x9A], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xFE],
        ]
        return (0..<Int.random(in: 0...6, using: &rng)).flatMap { _ in pieces.randomElement(using: &rng)! }
    }

    @Test("flat JSON and CSV accept a string's bytes exactly when they are valid UTF-8")
    func utf8() {
        var rng = SeededGenerator(seed: Self.seed)
        var valid = 0, invalid = 0
        for _ in 0..<20_000 {
            let bytes = Self.textBytes(&rng)
            let expected = String(validating: bytes, as: UTF8.self)
            let json = try? FlatJSON.parseObject(Array(#"{"remarks":""#.utf8) + bytes + Array(#""}"#.utf8))
            #expect(json?["remarks"] == expected, "JSON \(bytes)")
            let rows = CSVParser.parse(Array("remarks\r\n".utf8) + bytes + [0x2C, 0x78, 0x0D, 0x0A])
            if let expected {
                #expect(rows.count == 2 && rows[1].fields.first == expected, "CSV \(bytes)")
            } else {
                #expect(rows.count == 2 && rows[1].error != nil, "CSV \(bytes)")
            }
            if expected == nil { invalid += 1 } else { valid += 1 }
        }
        #expect(valid > 1000 && invalid > 1000)
    }

    @Test("record reader: any chunking reads the same records and issues as the whole input, in both formats")
    func chunking() {
        let cases = Self.forAll { input, rng in
            for format in RecordFormat.allCases {
                // A short line limit sends lines through the held-line path (and the too-long refusal).
                let maxLineBytes = Bool.random(using: &rng) ? 1 << 20 : Int.random(in: 8...300, using: &rng)
                let header = format == .csv ? Array((Voyage.fieldNames.joined(separator: ",") + "\r\n").utf8) : []
                let whole = Self.read(format, header + input, maxLineBytes: maxLineBytes) { Int.max }
                let chunked = Self.read(format, header + input, maxLineBytes: maxLineBytes) { Int.random(in: 1...64, using: &rng) }
                #expect(chunked == whole, "\(format), limit \(maxLineBytes), input \(input)")
            }
        }
        #expect(cases > 100)
    }

    /// Everything a reader emits for the input fed in chunks of the sizes `chunkSize` gives.
    static func read(_ format: RecordFormat, _ input: [UInt8], maxLineBytes: Int,
                     chunkSize: () -> Int) -> [Result<RawRecord, RecordIssue>] {
        var reader = RecordReader(format: format, allowedFields: Voyage.fieldNames, requiredFields: Voyage.requiredFieldNames,
                                  maxLineBytes: maxLineBytes)
        var emitted: [Result<RawRecord, RecordIssue>] = []
        var index = 0
        while index < input.count {
            let end = index + min(chunkSize(), input.count - index)
            reader.feed(input[index..<end]) { emitted.append($0) }
            index = end
        }
        reader.finish { emitted.append($0) }
        return emitted
    }

    @Test("record reader and validator: every non-blank NDJSON line ends as exactly one record or one issue")
    func records() {
        let validator = Fixture.validator()
        let cases = Self.forAll { input, _ in
            var reader = RecordReader(format: .ndjson, allowedFields: Voyage.fieldNames, requiredFields: Voyage.requiredFieldNames)
            var lines = Set<Int>()
            var outcomes = 0
            let sink: (Result<RawRecord, RecordIssue>) -> Void = { result in
                outcomes += 1
                switch result {
                case .success(let record):
                    lines.insert(record.line)
                    do throws(FieldIssue) { _ = try validator.validate(record.fields) } catch {
                        #expect(!error.field.isEmpty && !error.reason.isEmpty, "\(error) for input \(input)")
                    }
                case .failure(let issue):
                    lines.insert(issue.line)
                    #expect(!issue.field.isEmpty && !issue.reason.isEmpty, "\(issue) for input \(input)")
                }
            }
            reader.feed(input, sink)
            reader.finish(sink)
            #expect(lines.count == outcomes, "one outcome per line, input \(input)")
            // Blank: only spaces and tabs, after one trailing CR; a BOM counts only at the start of the input.
            let nonBlank = input.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated().filter { index, line in
                var bytes = Array(line)
                if index == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                if bytes.last == 0x0D { bytes.removeLast() }
                return !bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
            }.count
            #expect(outcomes == nonBlank, "\(outcomes) outcomes for \(nonBlank) non-blank lines")
        }
        #expect(cases > 100)
    }
}
