/// One record of a CSV file: its fields, or why it could not be read.
public struct CSVRow: Sendable, Equatable {
    /// 1-based record number, counting the header and not counting blank lines.
    public let number: Int
    /// The fields' bytes end to end, each valid UTF-8 (one that is not is left empty, and the row
    /// has an error); field `i` ends at `ends[i]` and starts where field `i - 1` ends.
    let text: [UInt8]
    let ends: [Int]
    /// Set when the row is malformed (unbalanced quote, invalid UTF-8, …).
    public let error: String?

    public var count: Int { ends.count }
    public var fields: [String] { ends.indices.map { String(decoding: text[start(of: $0)..<ends[$0]], as: UTF8.self) } }

    func start(of field: Int) -> Int { field == 0 ? 0 : ends[field - 1] }
}

/// An incremental RFC 4180 parser: feed it bytes in chunks of any size; it emits each record
/// as soon as it is complete. Handles quoted fields with commas, quotes (`""`) and line breaks,
/// CRLF or LF line ends, and a leading UTF-8 byte order mark. Blank lines are skipped.
public struct CSVParser: Sendable {
    /// The row's fields so far, end to end, and where each ends (as in ``CSVRow``): emitted as
    /// they are, then emptied with their capacity kept for the next row.
    private var text: [UInt8] = []
    private var ends: [Int] = []
    private var inQuotes = false
    private var afterClosingQuote = false
    private var fieldWasQuoted = false
    private var error: String?
    private var recordNumber = 0
    private var atStartOfInput = true
    private var pendingBOM: [UInt8] = []
    /// Longest field accepted; longer ones make the row malformed (bounded memory on hostile input).
    public let maxFieldBytes: Int

    public init(maxFieldBytes: Int = 64 * 1024) { self.maxFieldBytes = maxFieldBytes }

    public mutating func feed(_ bytes: some Sequence<UInt8>, _ emit: (CSVRow) -> Void) {
        let fed: Void? = bytes.withContiguousStorageIfAvailable { feed(buffer: $0, emit) }
        if fed == nil { for byte in bytes { step(byte, emit) } }
    }

    private mutating func step(_ byte: UInt8, _ emit: (CSVRow) -> Void) {
        if atStartOfInput, handleBOM(byte, emit) { return }
        consume(byte, emit)
    }

    /// The same as feeding byte by byte, but a run of bytes that only adds to the field (up to the
    /// next quote inside quotes, the next comma, quote or line end outside) goes in at once.
    private mutating func feed(buffer: UnsafeBufferPointer<UInt8>, _ emit: (CSVRow) -> Void) {
        var index = 0
        while index < buffer.count {
            if !atStartOfInput, !afterClosingQuote {
                var end = index
                if inQuotes {
                    while end < buffer.count, buffer[end] != Self.quote { end += 1 }
                } else {
                    while end < buffer.count, !Self.endsPlainRun(buffer[end]) { end += 1 }
                }
                if end > index {
                    append(UnsafeBufferPointer(rebasing: buffer[index..<end]))
                    index = end
                    continue
                }
            }
            step(buffer[index], emit)
            index += 1
        }
    }

    private static let quote = UInt8(ascii: "\"")

    private static func endsPlainRun(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == quote || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// Ends the input: emits a last record that had no line break, or reports an open quote.
    public mutating func finish(_ emit: (CSVRow) -> Void) {
        if atStartOfInput, !pendingBOM.isEmpty {
            let bytes = pendingBOM
            pendingBOM = []
            atStartOfInput = false
            for byte in bytes { consume(byte, emit) }
        }
        if inQuotes {
            error = error ?? "a quoted field is not closed before the end of the input"
            inQuotes = false
        }
        if !text.isEmpty || !ends.isEmpty || fieldWasQuoted || error != nil { endRecord(emit) }
    }

    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Holds back the first bytes until it is clear whether they are a byte order mark.
    private mutating func handleBOM(_ byte: UInt8, _ emit: (CSVRow) -> Void) -> Bool {
        pendingBOM.append(byte)
        if pendingBOM == Self.bom { pendingBOM = []; atStartOfInput = false; return true }
        if Self.bom.starts(with: pendingBOM) { return true }
        atStartOfInput = false
        let bytes = pendingBOM
        pendingBOM = []
        for held in bytes { consume(held, emit) }
        return true
    }

    private mutating func consume(_ byte: UInt8, _ emit: (CSVRow) -> Void) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        if inQuotes {
            if byte == quote { inQuotes = false; afterClosingQuote = true } else { append(byte) }
            return
        }
        if afterClosingQuote {
            afterClosingQuote = false
            if byte == quote { inQuotes = true; append(byte); return }  // "" inside quotes
            if byte != comma && byte != lf && byte != cr {
                error = error ?? "text after a closing quote in field \(ends.count + 1)"
            }
        }
        switch byte {
        case comma: endField()
        case lf:
            if ends.isEmpty && text.isEmpty && !fieldWasQuoted && error == nil { return }  // blank line
            endRecord(emit)
        case cr: break
        case quote:
            if fieldBytes == 0 && !fieldWasQuoted { inQuotes = true; fieldWasQuoted = true } else {
                error = error ?? "a quote inside an unquoted field \(ends.count + 1)"
            }
        default: append(byte)
        }
    }

    /// Where the current field starts in `text`, and how many bytes it has so far.
    private var fieldStart: Int { ends.last ?? 0 }
    private var fieldBytes: Int { text.count - fieldStart }

    private mutating func append(_ byte: UInt8) {
        if fieldBytes < maxFieldBytes { text.append(byte) } else {
            error = error ?? "field \(ends.count + 1) is longer than \(maxFieldBytes) bytes"
        }
    }

    private mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        let room = maxFieldBytes - fieldBytes
        if run.count <= room { text.append(contentsOf: run); return }
        text.append(contentsOf: run.prefix(max(0, room)))
        error = error ?? "field \(ends.count + 1) is longer than \(maxFieldBytes) bytes"
    }

    private mutating func endField() {
        let start = fieldStart
        let valid = text.withUnsafeBufferPointer { UTF8Text.isValid(UnsafeBufferPointer(rebasing: $0[start...])) }
        if !valid {
            error = error ?? "field \(ends.count + 1) is not valid UTF-8"
            text.removeSubrange(start...)
        }
        ends.append(text.count)
        fieldWasQuoted = false
    }

    private mutating func endRecord(_ emit: (CSVRow) -> Void) {
        endField()
        recordNumber += 1
        emit(CSVRow(number: recordNumber, text: text, ends: ends, error: error))
        text.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        error = nil
    }

    /// Parses a whole text at once.
    public static func parse(_ bytes: some Sequence<UInt8>) -> [CSVRow] {
        var parser = CSVParser()
        var rows: [CSVRow] = []
        parser.feed(bytes) { rows.append($0) }
        parser.finish { rows.append($0) }
        return rows
    }
}
