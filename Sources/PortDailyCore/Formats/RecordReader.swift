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
/// so a file of any size is read in bounded memory.
///
/// CSV: the first record is the header; each name must be one of `allowedFields` and every
/// required field must have a column. NDJSON: one object per line; blank lines are skipped.
public struct RecordReader: Sendable {
    public let format: RecordFormat
    public let allowedFields: [String]
    public let requiredFields: Set<String>
    private var csv = CSVParser()
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
        // A row's empty columns are kept as a 64-bit mask (see `fields(of:header:)`); a header
        // holds each allowed name at most once.
        precondition(allowedFields.count <= 64, "at most 64 fields")
        self.format = format
        self.allowedFields = allowedFields
        self.requiredFields = requiredFields
        self.maxLineBytes = maxLineBytes
    }

    public mutating func feed(_ bytes: some Collection<UInt8>, _ emit: (Result<RawRecord, RecordIssue>) -> Void) {
        // One contiguous copy of the chunk: stepping through `Data` byte by byte behind a generic
        // collection was a visible share of a bulk import.
        let chunk = Array(bytes)
        switch format {
        case .csv:
            var rows: [CSVRow] = []
            csv.feed(chunk) { rows.append($0) }
            for row in rows { handleCSV(row, emit) }
        case .ndjson: feedLines(chunk, emit)
        }
    }

    public mutating func finish(_ emit: (Result<RawRecord, RecordIssue>) -> Void) {
        switch format {
        case .csv:
            var rows: [CSVRow] = []
            csv.finish { rows.append($0) }
            for row in rows { handleCSV(row, emit) }
            if header == nil, headerIssue == nil {
                headerIssue = RecordIssue(line: 0, field: "header", reason: "the file is empty: no header row")
            }
        case .ndjson:
            if !lineBuffer.isEmpty { endLine(emit) }
        }
    }

    // MARK: CSV

    private mutating func handleCSV(_ row: CSVRow, _ emit: (Result<RawRecord, RecordIssue>) -> Void) {
        guard headerIssue == nil else { return }
        guard let header else {
            readHeader(row)
            return
        }
        let line = row.number - 1
        if let error = row.error { return emit(.failure(RecordIssue(line: line, field: "record", reason: error))) }
        guard row.fields.count == header.count else {
            return emit(.failure(RecordIssue(line: line, field: "record",
                reason: "has \(row.fields.count) fields, the header has \(header.count)")))
        }
        emit(.success(RawRecord(line: line, fields: fields(of: row.fields, header: header))))
    }

    /// A row's fields, leaving out its empty values. A file's rows mostly leave the same columns
    /// empty, so the names of the last such pattern are kept and shared.
    private mutating func fields(of values: [String], header: [String]) -> RecordFields {
        var empty: UInt64 = 0
        for (column, value) in values.enumerated() where value.isEmpty { empty |= 1 << UInt64(column) }
        if empty == 0 { return RecordFields(names: header, values: values) }
        if lastNames?.emptyColumns != empty {
            let names = header.indices.filter { empty & (1 << UInt64($0)) == 0 }.map { header[$0] }
            lastNames = (empty, names)
        }
        return RecordFields(names: lastNames!.names, values: values.filter { !$0.isEmpty })
    }

    private mutating func readHeader(_ row: CSVRow) {
        if let error = row.error { headerIssue = RecordIssue(line: 0, field: "header", reason: error); return }
        let names = row.fields.map { $0.trimmingSpaces }
        let allowed = Set(allowedFields)
        if let unknown = names.first(where: { !allowed.contains($0) }) {
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
        var start = 0
        while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
            appendToLine(chunk[start..<newline])
            endLine(emit)
            start = newline + 1
        }
        appendToLine(chunk[start...])
    }

    /// Keeps at most one byte past the limit, enough to know the line is too long.
    private mutating func appendToLine(_ part: ArraySlice<UInt8>) {
        let room = maxLineBytes + 1 - lineBuffer.count
        if room > 0 { lineBuffer.append(contentsOf: part.prefix(room)) }
    }

    private mutating func endLine(_ emit: (Result<RawRecord, RecordIssue>) -> Void) {
        lineNumber += 1
        defer { lineBuffer.removeAll(keepingCapacity: true); atStart = false }
        if atStart, lineBuffer.starts(with: [0xEF, 0xBB, 0xBF]) { lineBuffer.removeFirst(3) }
        if lineBuffer.last == UInt8(ascii: "\r") { lineBuffer.removeLast() }
        if lineBuffer.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        if lineBuffer.count > maxLineBytes {
            return emit(.failure(RecordIssue(line: lineNumber, field: "record", reason: "line longer than \(maxLineBytes) bytes")))
        }
        do {
            let fields = try FlatJSON.parseObject(lineBuffer)
            emit(.success(RawRecord(line: lineNumber, fields: fields)))
        } catch {
            emit(.failure(RecordIssue(line: lineNumber, error)))
        }
    }
}
