/// Why one field of a record was refused (or, for a warning, is doubtful).
public struct FieldIssue: Error, Hashable, Sendable, Codable {
    public let field: String
    public let reason: String
    public init(field: String, reason: String) { self.field = field; self.reason = reason }
}

/// A field issue located in its input: `line` is the 1-based line of an NDJSON file, the
/// 1-based data row of a CSV file (the header not counted), or the 1-based index in a JSON array.
public struct RecordIssue: Error, Hashable, Sendable, Codable {
    public let line: Int
    public let field: String
    public let reason: String
    public init(line: Int, field: String, reason: String) { self.line = line; self.field = field; self.reason = reason }
    public init(line: Int, _ issue: FieldIssue) { self.init(line: line, field: issue.field, reason: issue.reason) }
}

/// One input record as named text fields, before validation. An empty value counts as absent.
public struct RawRecord: Sendable, Equatable {
    public let line: Int
    public var fields: RecordFields
    public init(line: Int, fields: RecordFields) { self.line = line; self.fields = fields }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether every byte is printable ASCII (0x20-0x7E) and the first and last are not spaces.
    var isPrintableASCIIWithoutOuterSpaces: Bool {
        guard let first, let last, first != 0x20, last != 0x20 else { return false }
        for byte in self where byte < 0x20 || byte > 0x7E { return false }
        return true
    }
}

extension String {
    var trimmingSpaces: String {
        // Fast path: starts and ends with a printable ASCII character, so nothing to trim.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        guard let first = unicodeScalars.first, let last = unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return self }
        let scalars = unicodeScalars.drop(while: { $0.properties.isWhitespace })
        let trimmed = scalars.reversed().drop(while: { $0.properties.isWhitespace }).reversed()
        return String(String.UnicodeScalarView(trimmed))
    }
}

extension String {
    /// Whether the text holds a control character (general category Cc: U+0000–U+001F, U+007F,
    /// U+0080–U+009F), checked on the UTF-8 bytes: C1 controls are encoded 0xC2 0x80–0x9F.
    /// (Through `withUTF8`: stepping through `utf8` went byte by byte through the view's indices.)
    var containsControlCharacters: Bool {
        var text = self
        return text.withUTF8 { utf8 in
            var previousWasC2 = false
            for byte in utf8 {
                if byte < 0x20 || byte == 0x7F || (previousWasC2 && byte >= 0x80 && byte <= 0x9F) { return true }
                previousWasC2 = byte == 0xC2
            }
            return false
        }
    }
}

extension ISO8601 {
    /// Whether a time that failed to parse would have parsed with a `Z` added: the offset is what is missing.
    static func looksOffsetless(_ text: String) -> Bool { parse(text + "Z") != nil }
}
