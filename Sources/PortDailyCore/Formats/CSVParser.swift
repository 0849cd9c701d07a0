/// One record of a CSV file: its fields, or why it could not be read.
public struct CSVRow: Sendable, Equatable {
    /// 1-based record number, counting the header and not counting blank lines.
    public let number: Int
    public let fields: [String]
    /// Set when the row is malformed (unbalanced quote, invalid UTF-8, …).
    public let error: String?
}

/// An incremental RFC 4180 parser: feed it bytes in chunks of any size; it emits each record
/// as soon as it is complete. Handles quoted fields with commas, quotes (`""`) and line breaks,
/// CRLF or LF line ends, and a leading UTF-8 byte order mark. Blank lines are skipped.
public struct CSVParser: Sendable {
    private var field: [UInt8] = []
    /// The current field's text when it was taken from the input at once (see `feed(buffer:_:)`).
    private var fieldText: String?
    private var fields: [String] = []
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
    /// next quote inside quotes, the next comma, quote or line end outside) goes in at once, and
    /// an unquoted field that ends with a comma or line feed in this chunk is made text straight
    /// from the input, without the field buffer.
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
                    let run = UnsafeBufferPointer(rebasing: buffer[index..<end])
                    if !inQuotes, field.isEmpty, fieldText == nil, !fieldWasQuoted, run.count <= maxFieldBytes,
                       end < buffer.count, buffer[end] == UInt8(ascii: ",") || buffer[end] == UInt8(ascii: "\n"),
                       let text = UTF8Text.string(run) {
                        fieldText = text
                    } else {
                        append(run)
                    }
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
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted || error != nil { endRecord(emit) }
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
                error = error ?? "text after a closing quote in field \(fields.count + 1)"
            }
        }
        switch byte {
        case comma: endField()
        case lf:
            if fields.isEmpty && field.isEmpty && fieldText == nil && !fieldWasQuoted && error == nil { return }  // blank line
            endRecord(emit)
        case cr: break
        case quote:
            if field.isEmpty && !fieldWasQuoted { inQuotes = true; fieldWasQuoted = true } else {
                error = error ?? "a quote inside an unquoted field \(fields.count + 1)"
            }
        default: append(byte)
        }
    }

    private mutating func append(_ byte: UInt8) {
        if field.count < maxFieldBytes { field.append(byte) } else {
            error = error ?? "field \(fields.count + 1) is longer than \(maxFieldBytes) bytes"
        }
    }

    private mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        let room = maxFieldBytes - field.count
        if run.count <= room { field.append(contentsOf: run); return }
        field.append(contentsOf: run.prefix(max(0, room)))
        error = error ?? "field \(fields.count + 1) is longer than \(maxFieldBytes) bytes"
    }

    private mutating func endField() {
        if let text = fieldText {
            fields.append(text)
            fieldText = nil
        } else if let text = UTF8Text.string(field) { fields.append(text) } else {
            error = error ?? "field \(fields.count + 1) is not valid UTF-8"
            fields.append("")
        }
        field.removeAll(keepingCapacity: true)
        fieldWasQuoted = false
    }

    private mutating func endRecord(_ emit: (CSVRow) -> Void) {
        endField()
        recordNumber += 1
        emit(CSVRow(number: recordNumber, fields: fields, error: error))
        fields.removeAll(keepingCapacity: true)
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
