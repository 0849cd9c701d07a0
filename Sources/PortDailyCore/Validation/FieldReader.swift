/// Reads named fields of a raw record, turning each failure into a ``FieldIssue`` that names the field.
///
/// A value that passes the text checks is read where it lies: a time, an identifier or a code is
/// parsed from its bytes, and text is made only of the values a caller keeps.
struct FieldReader {
    let fields: RecordFields
    /// Where the next field is looked for first: just after the last one read.
    private var next = 0

    init(fields: RecordFields) { self.fields = fields }

    /// A value that passed the text checks: in place in the record (nearly always), or the
    /// trimmed text of one that had spaces at either end.
    enum Value {
        case inPlace(position: Int)
        case trimmed(String)
    }

    /// The field's value, trimmed and checked (not too long, no control character); nil when
    /// absent or blank.
    mutating func optionalValue(_ name: String, maxLength: Int) throws(FieldIssue) -> Value? {
        guard let position = fields.position(of: name, hint: next) else { return nil }
        next = position + 1
        // Nearly every value is printable ASCII with no space at either end: nothing to trim, no
        // control character, one character per byte, seen in one pass over the bytes.
        let plainLength = fields.withBytes(at: position) { $0.isPrintableASCIIWithoutOuterSpaces ? $0.count : nil }
        if let plainLength {
            if plainLength > maxLength { throw FieldIssue(field: name, reason: "longer than \(maxLength) characters") }
            return .inPlace(position: position)
        }
        let value = fields.value(at: position).trimmingSpaces
        if value.isEmpty { return nil }
        // UTF-8 never has fewer bytes than characters: count characters only when the bytes exceed the limit.
        if value.utf8.count > maxLength, value.unicodeScalars.count > maxLength {
            throw FieldIssue(field: name, reason: "longer than \(maxLength) characters")
        }
        if value.containsControlCharacters {
            throw FieldIssue(field: name, reason: "contains control characters")
        }
        return .trimmed(value)
    }

    mutating func requiredValue(_ name: String, maxLength: Int) throws(FieldIssue) -> Value {
        guard let value = try optionalValue(name, maxLength: maxLength) else {
            throw FieldIssue(field: name, reason: "missing")
        }
        return value
    }

    /// A value's text.
    func text(_ value: Value) -> String {
        switch value {
        case .inPlace(let position): fields.value(at: position)
        case .trimmed(let text): text
        }
    }

    /// What `parse` makes of a value's bytes.
    func parse<T>(_ value: Value, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        switch value {
        case .inPlace(let position): fields.withBytes(at: position, parse)
        case .trimmed(let text): Array(text.utf8).withUnsafeBufferPointer(parse)
        }
    }

    /// Whether a value is this text, compared on the bytes.
    func value(_ value: Value, is expected: String) -> Bool {
        var expected = expected
        return expected.withUTF8 { expected in parse(value) { $0.elementsEqual(expected) ? true : nil } } ?? false
    }

    mutating func optional(_ name: String, maxLength: Int) throws(FieldIssue) -> String? {
        try optionalValue(name, maxLength: maxLength).map(text)
    }

    mutating func required(_ name: String, maxLength: Int) throws(FieldIssue) -> String {
        text(try requiredValue(name, maxLength: maxLength))
    }

    mutating func instant(_ name: String) throws(FieldIssue) -> Instant {
        let value = try requiredValue(name, maxLength: 40)
        if let instant = parse(value, ISO8601.parse(bytes:)) { return instant }
        let text = text(value)
        let reason = ISO8601.looksOffsetless(text)
            ? "time without an offset (add Z or ±HH:MM): \(text)"
            : "not an ISO 8601 time: \(text)"
        throw FieldIssue(field: name, reason: reason)
    }

    mutating func date(_ name: String) throws(FieldIssue) -> LocalDate? {
        guard let text = try optional(name, maxLength: 10) else { return nil }
        guard let date = LocalDate(text) else { throw FieldIssue(field: name, reason: "not a date YYYY-MM-DD: \(text)") }
        return date
    }

    mutating func mmsi(_ name: String) throws(FieldIssue) -> MMSI {
        let value = try requiredValue(name, maxLength: 16)
        guard let mmsi = parse(value, MMSI.init(utf8:)) else {
            throw FieldIssue(field: name, reason: "not a ship MMSI (9 digits, first digit 2-7): \(text(value))")
        }
        return mmsi
    }

    mutating func imo(_ name: String) throws(FieldIssue) -> IMONumber? {
        guard let value = try optionalValue(name, maxLength: 16) else { return nil }
        guard let imo = parse(value, IMONumber.init(utf8:)) else {
            throw FieldIssue(field: name, reason: "not an IMO number (7 digits): \(text(value))")
        }
        return imo
    }

    /// The first unknown field in name order, if any.
    func unknownFields(allowed: FieldNameSet) throws(FieldIssue) {
        if let checked = fields.allNamesIn, allowed.hasNames(checked) { return }
        var first: String?
        for key in fields.fieldNames where !allowed.contains(key) {
            if let known = first, known <= key { continue }
            first = key
        }
        if let first { throw FieldIssue(field: first, reason: "unknown field") }
    }
}
