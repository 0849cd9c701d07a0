/// The input formats records come in.
public enum RecordFormat: String, Sendable, CaseIterable {
    case csv
    case ndjson

    /// The format a file name implies, if any.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".csv") { self = .csv } else if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") {
            self = .ndjson
        } else { return nil }
    }
}

/// Turns a byte stream in either format into ``RawRecord``s (or located issues), incrementally,
/// so a file of any size is read in bounded memory. Each record is handed over as soon as it is
/// read, in fields whose buffers the next record reuses when the receiver kept no copy.
///
/// CSV: the first record is the header; each name must be one of `allowedFields` and every
/// required field must have a column. NDJSON: one object per line; blank lines are skipped.
public struct RecordReader: Sendable {
    public let format: RecordFormat
    /// The allowed names, in the order given.
    public var allowedFields: [String] { knownNames.names }
    public let requiredFields: Set<String>
    /// The allowed names: a CSV header is checked against them, and an NDJSON key that spells one takes its text.
    private let knownNames: FieldNameSet
    private var csv = CSVParser()
    /// The fields of the record being read, refilled for each.
    private var fields = RecordFields(minimumCapacity: 16)
    private var header: [String]?
    /// The header's names without the columns left empty in the last row (see `fields(of:)`).
    private var lastNames: (emptyColumns: UInt64, names: [String])?
    private var lineBuffer: [UInt8] = []
    private var lineNumber = 0
    private var atStart = true
    /// Set when the CSV header is unusable; every later record is then ignored.
    public private(set) var headerIssue: RecordIssue?
    public let maxLineBytes: Int

    public init(format: RecordFormat, allowedFields: [String], requiredFields: Set<String>, maxLineBytes: Int = 1 << 20) {
        self.init(format: format, allowedFields: FieldNameSet(allowedFields), requiredFields: requiredFields, maxLineBytes: maxLineBytes)
    }

    /// The same, with the allowed names as a set made once (a reader per request need not make it again).
    public init(format: RecordFormat, allowedFields: FieldNameSet, requiredFields: Set<String>, maxLineBytes: Int = 1 << 20) {
        // A row's empty columns are kept as a 64-bit mask (see `fill(from:header:)`); a header
        // holds each allowed name at most once.
        precondition(allowedFields.names.count <= 64, "at most 64 fields")
        self.format = format
        self.requiredFields = requiredFields
        self.maxLineBytes = maxLineBytes
        knownNames = allowedFields
    }

    public mutating func feed(_ bytes: some Collection<UInt8>, _ emit: (Result<RawRecord, RecordIssue>) -> Void) {
        // One contiguous copy of the chunk: stepping through `Data` byte by byte behind a generic
        // collection was a visible share of a bulk import.
        let chunk = Array(bytes)
        switch format {
        case .csv: withCSVParser { parser, reader in parser.feed(chunk) { reader.handleCSV($0, emit) } }
        case .ndjson: feedLines(chunk, emit)
        }
    }

    public mutating func finish(_ emit: (Result<RawRecord, RecordIssue>) -> Void) {
        switch format {
        case .csv:
            withCSVParser { parser, reader in parser.finish { reader.handleCSV($0, emit) } }
            if header == nil, headerIssue == nil {
                headerIssue = RecordIssue(line: 0, field: "header", reason: "the file is empty: no header row")
            }
        case .ndjson:
            guard !lineBuffer.isEmpty else { return }
            withHeldLine { line, reader in reader.endLine(line, emit) }
        }
    }

    // MARK: CSV

    /// Runs `body` with the CSV parser taken out of the reader, so the rows it emits can be
    /// handled by the reader as they come.
    private mutating func withCSVParser(_ body: (inout CSVParser, inout RecordReader) -> Void) {
        var parser = csv
        csv = CSVParser()
        body(&parser, &self)
        csv = parser
    }

    private mutating func handleCSV(_ row: CSVRow, _ emit: (Result<RawRecord, RecordIssue>) -> Void) {
        guard headerIssue == nil else { return }
        guard let header else {
            readHeader(row)
            return
        }
        let line = row.number - 1
        if let error = row.error { return emit(.failure(RecordIssue(line: line, field: "record", reason: error))) }
        guard row.count == header.count else {
            return emit(.failure(RecordIssue(line: line, field: "record",
                reason: "has \(row.count) fields, the header has \(header.count)")))
        }
        fill(from: row, header: header)
        emit(.success(RawRecord(line: line, fields: fields)))
    }

    /// The row's fields, leaving out its empty values. A file's rows mostly leave the same columns
    /// empty, so the names of the last such pattern are kept and shared.
    private mutating func fill(from row: CSVRow, header: [String]) {
        fields.removeAll()
        var empty: UInt64 = 0
        row.text.withUnsafeBufferPointer { text in
            for column in 0..<row.count {
                let start = row.start(of: column), end = row.ends[column]
                if start == end { empty |= 1 << UInt64(column); continue }
                fields.appendToValue(UnsafeBufferPointer(rebasing: text[start..<end]))
                fields.endUnnamedValue()
            }
        }
        // The header's names were checked against the allowed ones.
        defer { fields.noteNames(in: knownNames) }
        if empty == 0 { return fields.setNames(header) }
        if lastNames?.emptyColumns != empty {
            let names = header.indices.filter { empty & (1 << UInt64($0)) == 0 }.map { header[$0] }
            lastNames = (empty, names)
        }
        fields.setNames(lastNames!.names)
    }

    private mutating func readHeader(_ row: CSVRow) {
        if let error = row.error { headerIssue = RecordIssue(line: 0, field: "header", reason: error); return }
        let names = row.fields.map { $0.trimmingSpaces }
        if let unknown = names.first(where: { !knownNames.contains($0) }) {
            headerIssue = RecordIssue(line: 0, field: unknown.isEmpty ? "header" : unknown,
                reason: "unknown column '\(unknown)' (columns: \(allowedFields.joined(separator: ",")))")
        } else if let missing = requiredFields.sorted().first(where: { !names.contains($0) }) {
            headerIssue = RecordIssue(line: 0, field: missing, reason: "the header has no column '\(missing)'")
        } else if Set(names).count != names.count {
            headerIssue = RecordIssue(line: 0, field: "header", reason: "a column appears twice")
        } else {
            header = names
        }
    }

    // MARK: NDJSON

    private mutating func feedLines(_ chunk: [UInt8], _ emit: (Result<RawRecord, RecordIssue>) -> Void) {
        chunk.withUnsafeBufferPointer { buffer in
            var start = 0
            while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let part = UnsafeBufferPointer(rebasing: buffer[start..<newline])
                // A line whole in this chunk is parsed where it lies; one begun in an earlier chunk, from the held bytes.
                if lineBuffer.isEmpty, part.count <= maxLineBytes {
                    endLine(part, emit)
                } else {
                    appendToLine(part)
                    withHeldLine { line, reader in reader.endLine(line, emit) }
                }
                start = newline + 1
            }
            appendToLine(UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Keeps at most one byte past the limit, enough to know the line is too long.
    private mutating func appendToLine(_ part: UnsafeBufferPointer<UInt8>) {
        let room = maxLineBytes + 1 - lineBuffer.count
        if room > 0 { lineBuffer.append(contentsOf: part.prefix(room)) }
    }

    /// Runs `body` with the held line's bytes (taken out of the reader while it runs), then empties it.
    private mutating func withHeldLine(_ body: (UnsafeBufferPointer<UInt8>, inout RecordReader) -> Void) {
        var held: [UInt8] = []
        swap(&held, &lineBuffer)
        held.withUnsafeBufferPointer { body($0, &self) }
        held.removeAll(keepingCapacity: true)
        swap(&held, &lineBuffer)
    }

    private mutating func endLine(_ whole: UnsafeBufferPointer<UInt8>, _ emit: (Result<RawRecord, RecordIssue>) -> Void) {
        lineNumber += 1
        var line = whole
        if atStart, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = UnsafeBufferPointer(rebasing: line[3...]) }
        atStart = false
        if line.last == UInt8(ascii: "\r") { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        if line.count > maxLineBytes {
            return emit(.failure(RecordIssue(line: lineNumber, field: "record", reason: "line longer than \(maxLineBytes) bytes")))
        }
        do {
            try FlatJSON.parseObject(line, into: &fields, known: knownNames)
            emit(.success(RawRecord(line: lineNumber, fields: fields)))
        } catch {
            emit(.failure(RecordIssue(line: lineNumber, error)))
        }
    }
}
