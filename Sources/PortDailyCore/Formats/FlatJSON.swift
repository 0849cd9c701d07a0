/// A strict parser for the one JSON shape records come in: an object whose values are strings,
/// numbers, booleans or null. Nested objects and arrays are refused at once, naming the key, so
/// no input can make it recurse. Numbers are kept as their text; null means absent.
public enum FlatJSON {
    /// Parses one object that spans the whole input (surrounding white space allowed).
    public static func parseObject(_ bytes: some Collection<UInt8>) throws(FieldIssue) -> RecordFields {
        try Array(bytes).withUnsafeBufferPointer { buffer throws(FieldIssue) in try parseObject(buffer) }
    }

    static func parseObject(_ buffer: UnsafeBufferPointer<UInt8>) throws(FieldIssue) -> RecordFields {
        var scanner = Scanner(bytes: buffer)
        scanner.skipWhitespace()
        let object = try scanner.object()
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw scanner.syntax("unexpected text after the object") }
        return object
    }

    /// A JSON body that is either one object or an array of objects: each element's fields or
    /// the issue that refused it (1-based index). A syntax error outside any element throws.
    public static func parseDocument(_ bytes: some Collection<UInt8>) throws(FieldIssue) -> [Result<RecordFields, FieldIssue>] {
        try Array(bytes).withUnsafeBufferPointer { buffer throws(FieldIssue) in try parseDocument(buffer) }
    }

    static func parseDocument(_ buffer: UnsafeBufferPointer<UInt8>) throws(FieldIssue) -> [Result<RecordFields, FieldIssue>] {
        var scanner = Scanner(bytes: buffer)
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "{") { return [.success(try parseObject(scanner.bytes))] }
        guard scanner.peek == UInt8(ascii: "[") else { throw scanner.syntax("expected an object or an array of objects") }
        scanner.index += 1
        var results: [Result<RecordFields, FieldIssue>] = []
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "]") { scanner.index += 1 } else {
            while true {
                scanner.skipWhitespace()
                let start = scanner.index
                do { results.append(.success(try scanner.object())) } catch {
                    // Skip the bad element to report the others; a broken structure ends the body.
                    scanner.index = start
                    try scanner.skipValue()
                    results.append(.failure(error))
                }
                scanner.skipWhitespace()
                guard let next = scanner.next() else { throw scanner.syntax("the array is not closed") }
                if next == UInt8(ascii: "]") { break }
                guard next == UInt8(ascii: ",") else { throw scanner.syntax("expected ',' or ']' between elements") }
            }
        }
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw scanner.syntax("unexpected text after the array") }
        return results
    }

    /// Reads the bytes through a pointer, valid while the parse runs (bounds are checked here:
    /// an array's subscript checked them again and was a visible share of a bulk import).
    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        static let maxDepth = 64

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func next() -> UInt8? {
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return bytes[index]
        }

        func syntax(_ what: String) -> FieldIssue {
            FieldIssue(field: "record", reason: "malformed JSON at byte \(index + 1): \(what)")
        }

        mutating func skipWhitespace() {
            while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { index += 1 }
        }

        mutating func object() throws(FieldIssue) -> RecordFields {
            guard next() == UInt8(ascii: "{") else { throw syntax("expected an object") }
            var result = RecordFields(minimumCapacity: 16)
            // One bit per key seen, chosen by its length and end bytes: a key whose bit is clear
            // cannot be a repeat, so only the others are looked for among the keys before it.
            var seen: UInt64 = 0
            skipWhitespace()
            if peek == UInt8(ascii: "}") { index += 1; return result }
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw syntax("expected a key in quotes") }
                let keyStart = index
                let key = try string()
                // No field has an empty name, and an issue must name its field: refused here.
                if key.isEmpty { index = keyStart; throw syntax("an empty key") }
                skipWhitespace()
                guard next() == UInt8(ascii: ":") else { throw syntax("expected ':' after key \"\(key)\"") }
                skipWhitespace()
                let utf8 = key.utf8
                let bit: UInt64 = 1 << UInt64((utf8.count &* 7 &+ Int(utf8.first!) &+ Int(utf8.last!)) & 63)
                if seen & bit != 0, result.contains(key) { throw FieldIssue(field: key, reason: "appears twice") }
                seen |= bit
                if let value = try scalar(key: key) { result.append(key, value) }
                skipWhitespace()
                switch next() {
                case UInt8(ascii: ","): continue
                case UInt8(ascii: "}"): return result
                default: throw syntax("expected ',' or '}' after the value of \"\(key)\"")
                }
            }
        }

        mutating func scalar(key: String) throws(FieldIssue) -> String? {
            switch peek {
            case UInt8(ascii: "\""): return try string()
            case UInt8(ascii: "{"): throw FieldIssue(field: key, reason: "expected a string or number, got an object")
            case UInt8(ascii: "["): throw FieldIssue(field: key, reason: "expected a string or number, got an array")
            case UInt8(ascii: "t"): try literal("true"); return "true"
            case UInt8(ascii: "f"): try literal("false"); return "false"
            case UInt8(ascii: "n"): try literal("null"); return nil
            default: return try number(key: key)
            }
        }

        mutating func literal(_ word: String) throws(FieldIssue) {
            for expected in word.utf8 {
                guard next() == expected else { throw syntax("expected \(word)") }
            }
        }

        mutating func number(key: String) throws(FieldIssue) -> String {
            let start = index
            if peek == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw syntax("expected a value for \"\(key)\"") }
            if peek == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw syntax("expected digits after '.' in \"\(key)\"") }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw syntax("expected an exponent in \"\(key)\"") }
            }
            if index - start > 64 { throw FieldIssue(field: key, reason: "number is too long") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func digits() -> Int {
            let start = index
            while let b = peek, b >= 48, b <= 57 { index += 1 }
            return index - start
        }

        mutating func string() throws(FieldIssue) -> String {
            index += 1  // opening quote
            // The common case: no escape, one slice up to the closing quote.
            let start = index
            while let b = peek, b != UInt8(ascii: "\""), b != UInt8(ascii: "\\"), b >= 0x20 { index += 1 }
            if peek == UInt8(ascii: "\"") {
                defer { index += 1 }
                return try valid(UTF8Text.string(UnsafeBufferPointer(rebasing: bytes[start..<index])))
            }
            var out = Array(bytes[start..<index])
            while true {
                guard let b = next() else { throw syntax("a string is not closed") }
                switch b {
                case UInt8(ascii: "\""): return try valid(UTF8Text.string(out))
                case UInt8(ascii: "\\"): try escape(into: &out)
                case 0..<0x20: throw syntax("control character in a string")
                default: out.append(b)
                }
            }
        }

        func valid(_ text: String?) throws(FieldIssue) -> String {
            guard let text else { throw FieldIssue(field: "record", reason: "a string is not valid UTF-8") }
            return text
        }

        mutating func escape(into out: inout [UInt8]) throws(FieldIssue) {
            guard let e = next() else { throw syntax("a string is not closed") }
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u") else { throw syntax("lone surrogate") }
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw syntax("lone surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw syntax("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: throw syntax("invalid escape")
            }
        }

        mutating func hex4() throws(FieldIssue) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let b = next(), let digit = hexValue(b) else { throw syntax("invalid \\u escape") }
                value = value << 4 | digit
            }
            return value
        }

        func hexValue(_ b: UInt8) -> UInt32? {
            switch b {
            case 48...57: return UInt32(b - 48)
            case 65...70: return UInt32(b - 55)
            case 97...102: return UInt32(b - 87)
            default: return nil
            }
        }

        /// Skips any JSON value (used to step over a refused array element), bounded in depth.
        mutating func skipValue() throws(FieldIssue) {
            var depth = 0
            repeat {
                skipWhitespace()
                guard let b = peek else { throw syntax("unexpected end of input") }
                switch b {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1; index += 1
                    if depth > Self.maxDepth { throw syntax("nested deeper than \(Self.maxDepth) levels") }
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1; index += 1
                case UInt8(ascii: "\""): _ = try? string()
                case UInt8(ascii: ","), UInt8(ascii: ":"): index += 1
                default: index += 1
                }
            } while depth > 0
        }
    }
}
