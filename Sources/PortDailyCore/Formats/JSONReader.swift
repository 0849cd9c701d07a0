/// Reads JSON text written by this program's canonical writers (stored report content and
/// changes), member by member, without building a document tree: the fast path beside Foundation's
/// `JSONDecoder`, which dominated every answer that needs decoded reports. It checks the grammar
/// of what it reads and names the byte offset of the first error; whitespace is allowed anywhere
/// JSON allows it.
struct JSONReader {
    private let bytes: [UInt8]
    private var index = 0
    /// Just after an opening bracket: the next item needs no comma.
    private var atFirstItem = false

    init(_ text: String) { bytes = Array(text.utf8) }

    /// Where and why the text is not what was expected.
    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "malformed JSON at byte \(offset): \(reason)" }
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
        try expect(UInt8(ascii: "\""))
        let start = index
        // The common case: no escapes, one slice of valid UTF-8.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { throw Malformed(offset: index, reason: "control character in a string") }
            index += 1
        }
        guard index < bytes.count else { throw Malformed(offset: start, reason: "unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
        }
        var utf8 = Array(bytes[start..<index])
        while true {
            guard index < bytes.count else { throw Malformed(offset: start, reason: "unterminated string") }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"): try unescape(into: &utf8)
            case 0..<0x20: throw Malformed(offset: index - 1, reason: "control character in a string")
            default: utf8.append(byte)
            }
        }
    }

    /// A string, or nil for `null`.
    mutating func optionalString() throws -> String? { try null() ? nil : string() }

    mutating func int() throws -> Int {
        skipWhitespace()
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard let value = Int(String(decoding: bytes[start..<index], as: UTF8.self)) else {
            throw Malformed(offset: start, reason: "expected a whole number")
        }
        return value
    }

    /// A whole number, or nil for `null`.
    mutating func optionalInt() throws -> Int? { try null() ? nil : int() }

    /// Skips a value of any kind.
    mutating func skipValue() throws {
        skipWhitespace()
        guard index < bytes.count else { throw Malformed(offset: index, reason: "expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            let start = index
            while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
            guard index > start else { throw Malformed(offset: start, reason: "expected a value") }
        }
    }

    /// Checks that nothing but whitespace follows.
    mutating func end() throws {
        skipWhitespace()
        guard index == bytes.count else { throw Malformed(offset: index, reason: "unexpected text after the value") }
    }

    private mutating func null() throws -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ word: String) throws {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw Malformed(offset: index, reason: "expected \(word)") }
            index += 1
        }
    }

    /// After an object's or array's opening or a previous item: true when another item follows
    /// (past its comma), false at the closing bracket. A nested value ends with `atFirstItem`
    /// false, so its parent's next item needs a comma.
    private mutating func nextItem(closing: UInt8) throws -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw Malformed(offset: index, reason: "unterminated object or array") }
        let first = atFirstItem
        atFirstItem = false
        if bytes[index] == closing { index += 1; return false }
        if !first { try expect(UInt8(ascii: ",")) }
        return true
    }

    private mutating func expect(_ byte: UInt8) throws {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else {
            throw Malformed(offset: index, reason: "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    private mutating func skipWhitespace() { while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 } }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }

    /// After a backslash: the escaped character as UTF-8, surrogate pairs joined.
    private mutating func unescape(into utf8: inout [UInt8]) throws {
        guard index < bytes.count else { throw Malformed(offset: index, reason: "unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                try literal("\\u")
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw Malformed(offset: index - 4, reason: "unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw Malformed(offset: index - 4, reason: "unpaired surrogate") }
            utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
        default: throw Malformed(offset: index - 1, reason: "unknown escape")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
        else { throw Malformed(offset: index, reason: "expected four hex digits") }
        index += 4
        return value
    }
}
