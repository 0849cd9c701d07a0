/// Reads JSON text written by this program's canonical writers (stored report content and
/// changes), member by member, without building a document tree: the fast path beside Foundation's
/// `JSONDecoder`, which dominated every answer that needs decoded reports. Strings, literals,
/// numbers and skipped values are read by the record parser's scanner (``FlatJSON``), so both
/// readers share one grammar and one set of error messages (with the byte offset).
struct JSONReader {
    /// The text, at an address that stays put while the reader (and its scanner) lives.
    private let text: PinnedBytes
    private var scanner: FlatJSON.Scanner
    /// Just after an opening bracket: the next item needs no comma.
    private var atFirstItem = false

    init(_ bytes: [UInt8]) {
        text = PinnedBytes(bytes)
        scanner = FlatJSON.Scanner(bytes: text.buffer)
    }

    mutating func beginObject() throws { try expect(UInt8(ascii: "{")); atFirstItem = true }

    /// The next member's key, or nil at the end of the object; its value is to be read next.
    mutating func nextKey() throws -> String? {
        guard try nextItem(closing: UInt8(ascii: "}")) else { return nil }
        let key = try string()
        try expect(UInt8(ascii: ":"))
        return key
    }

    mutating func beginArray() throws { try expect(UInt8(ascii: "[")); atFirstItem = true }

    /// Whether another element follows (to be read next), or the array ended.
    mutating func nextElement() throws -> Bool { try nextItem(closing: UInt8(ascii: "]")) }

    mutating func string() throws -> String {
        scanner.skipWhitespace()
        guard scanner.peek == UInt8(ascii: "\"") else { throw scanner.syntax("expected a string") }
        return try scanner.string()
    }

    /// A string, or nil for `null`.
    mutating func optionalString() throws -> String? { try null() ? nil : string() }

    mutating func int() throws -> Int {
        scanner.skipWhitespace()
        guard let value = Int(try scanner.number(key: "number")) else { throw scanner.syntax("expected a whole number") }
        return value
    }

    /// A whole number, or nil for `null`.
    mutating func optionalInt() throws -> Int? { try null() ? nil : int() }

    /// Skips a value of any kind, checking its grammar, nested at most 64 levels.
    mutating func skipValue(depth: Int = 0) throws {
        scanner.skipWhitespace()
        guard depth < FlatJSON.Scanner.maxDepth else { throw scanner.syntax("nested deeper than \(FlatJSON.Scanner.maxDepth) levels") }
        switch scanner.peek {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try scanner.string()
        case UInt8(ascii: "t"): try scanner.literal("true")
        case UInt8(ascii: "f"): try scanner.literal("false")
        case UInt8(ascii: "n"): try scanner.literal("null")
        default: _ = try scanner.number(key: "value")
        }
    }

    /// Checks that nothing but whitespace follows.
    mutating func end() throws {
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw scanner.syntax("unexpected text after the value") }
    }

    private mutating func null() throws -> Bool {
        scanner.skipWhitespace()
        guard scanner.peek == UInt8(ascii: "n") else { return false }
        try scanner.literal("null")
        return true
    }

    /// After an object's or array's opening or a previous item: true when another item follows
    /// (past its comma), false at the closing bracket. A nested value ends with `atFirstItem`
    /// false, so its parent's next item needs a comma.
    private mutating func nextItem(closing: UInt8) throws -> Bool {
        scanner.skipWhitespace()
        let first = atFirstItem
        atFirstItem = false
        if scanner.peek == closing { scanner.index += 1; return false }
        if !first { try expect(UInt8(ascii: ",")) }
        return true
    }

    private mutating func expect(_ byte: UInt8) throws {
        scanner.skipWhitespace()
        guard scanner.next() == byte else { throw scanner.syntax("expected '\(Character(Unicode.Scalar(byte)))'") }
    }
}

/// A copy of some bytes in memory of its own, freed with the last reference.
private final class PinnedBytes {
    let buffer: UnsafeBufferPointer<UInt8>

    init(_ bytes: [UInt8]) {
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = copy.initialize(from: bytes)
        buffer = UnsafeBufferPointer(copy)
    }

    deinit { buffer.deallocate() }
}
