/// A strict parser for the one JSON shape records come in: an object whose values are strings,
/// numbers, booleans or null. Nested objects and arrays are refused at once, naming the key, so
/// no input can make it recurse. Numbers are kept as their text; null means absent.
public enum FlatJSON {
    /// Parses one object that spans the whole input (surrounding white space allowed).
    public static func parseObject(_ bytes: some Collection<UInt8>) throws(FieldIssue) -> RecordFields {
        var fields = RecordFields(minimumCapacity: 16)
        try Array(bytes).withUnsafeBufferPointer { buffer throws(FieldIssue) in try parseObject(buffer, into: &fields, known: nil) }
        return fields
    }

    /// Parses one object that spans the whole buffer into `fields` (emptied first, its buffers
    /// reused); keys that `known` holds take its text.
    static func parseObject(_ buffer: UnsafeBufferPointer<UInt8>, into fields: inout RecordFields,
                            known: FieldNameSet?) throws(FieldIssue) {
        var scanner = Scanner(bytes: buffer)
        scanner.skipWhitespace()
        try scanner.object(into: &fields, known: known)
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw scanner.syntax("unexpected text after the object") }
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
            var fields = RecordFields(minimumCapacity: 16)
            try object(into: &fields, known: nil)
            return fields
        }

        /// Reads an object into `fields`, emptied first: each value's bytes go straight into its
        /// buffer, and a key that `known` holds takes the set's text instead of a new one.
        mutating func object(into fields: inout RecordFields, known: FieldNameSet?) throws(FieldIssue) {
            fields.removeAll()
            guard next() == UInt8(ascii: "{") else { throw syntax("expected an object") }
            // One bit per key seen, its name set slot: a key whose bit is clear cannot be a
            // repeat, so only the others are looked for among the keys before it.
            var seen: UInt64 = 0
            var allKnown = known != nil
            skipWhitespace()
            if peek == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw syntax("expected a key in quotes") }
                let keyStart = index
                let (key, slot, isKnown) = try self.key(known)
                allKnown = allKnown && isKnown
                // No field has an empty name, and an issue must name its field: refused here.
                if key.isEmpty { index = keyStart; throw syntax("an empty key") }
                skipWhitespace()
                guard next() == UInt8(ascii: ":") else { throw syntax("expected ':' after key \"\(key)\"") }
                skipWhitespace()
                let bit: UInt64 = 1 << UInt64(slot)
                if seen & bit != 0, fields.contains(key) { throw FieldIssue(field: key, reason: "appears twice") }
                seen |= bit
                if try value(into: &fields, key: key) { fields.endValue(named: key) }
                skipWhitespace()
                switch next() {
                case UInt8(ascii: ","): continue
                case UInt8(ascii: "}"):
                    if allKnown, let known { fields.noteNames(in: known) }
                    return
                default: throw syntax("expected ',' or '}' after the value of \"\(key)\"")
                }
            }
        }

        /// A key, its name set slot, and whether it is in `known`: the known name it spells (its
        /// text reused) when it has no escape, else its own text.
        mutating func key(_ known: FieldNameSet?) throws(FieldIssue) -> (name: String, slot: Int, isKnown: Bool) {
            let start = index
            let end = plainRunEnd(from: start + 1)
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                let spelling = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end])
                if let name = known?.name(spelledBy: spelling) {
                    index = end + 1
                    return (name, FieldNameSet.slot(spelling), true)
                }
            }
            var name = try string()
            return (name, name.withUTF8(FieldNameSet.slot), known?.contains(name) == true)
        }

        /// Writes a scalar's text into the value being written; false for null (the field is absent).
        mutating func value(into fields: inout RecordFields, key: String) throws(FieldIssue) -> Bool {
            switch peek {
            case UInt8(ascii: "\""): try appendString(into: &fields)
            case UInt8(ascii: "{"): throw FieldIssue(field: key, reason: "expected a string or number, got an object")
            case UInt8(ascii: "["): throw FieldIssue(field: key, reason: "expected a string or number, got an array")
            case UInt8(ascii: "t"): try literal("true"); fields.appendToValue("true".utf8)
            case UInt8(ascii: "f"): try literal("false"); fields.appendToValue("false".utf8)
            case UInt8(ascii: "n"): try literal("null"); return false
            default: fields.appendToValue(UnsafeBufferPointer(rebasing: bytes[try numberRange(key: key)]))
            }
            return true
        }

        mutating func literal(_ word: String) throws(FieldIssue) {
            for expected in word.utf8 {
                guard next() == expected else { throw syntax("expected \(word)") }
            }
        }

        mutating func number(key: String) throws(FieldIssue) -> String {
            String(decoding: bytes[try numberRange(key: key)], as: UTF8.self)
        }

        /// Steps over a number; where its text lies.
        mutating func numberRange(key: String) throws(FieldIssue) -> Range<Int> {
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
            return start..<index
        }

        mutating func digits() -> Int {
            let start = index
            while let b = peek, b >= 48, b <= 57 { index += 1 }
            return index - start
        }

        /// Where the run of plain string bytes from `start` ends: at a quote, a backslash, a
        /// control character or the end of the input.
        func plainRunEnd(from start: Int) -> Int {
            var end = start
            while end < bytes.count {
                let b = bytes[end]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                end += 1
            }
            return end
        }

        mutating func string() throws(FieldIssue) -> String {
            // The common case: no escape, one slice up to the closing quote.
            let start = index + 1
            index = plainRunEnd(from: start)
            if peek == UInt8(ascii: "\"") {
                defer { index += 1 }
                return try valid(UTF8Text.string(UnsafeBufferPointer(rebasing: bytes[start..<index])))
            }
            var out = Array(bytes[start..<index])
            try finishEscaped(into: &out)
            return try valid(UTF8Text.string(out))
        }

        /// A string's bytes, unescaped and checked to be UTF-8, written into the value being written.
        mutating func appendString(into fields: inout RecordFields) throws(FieldIssue) {
            let start = index + 1
            index = plainRunEnd(from: start)
            if peek == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[start..<index])
                guard UTF8Text.isValid(run) else { throw FieldIssue(field: "record", reason: "a string is not valid UTF-8") }
                fields.appendToValue(run)
                index += 1
                return
            }
            var out = Array(bytes[start..<index])
            try finishEscaped(into: &out)
            guard out.withUnsafeBufferPointer(UTF8Text.isValid) else {
                throw FieldIssue(field: "record", reason: "a string is not valid UTF-8")
            }
            fields.appendToValue(out)
        }

        /// The rest of a string after its plain start, escapes decoded, up to and past its closing quote.
        mutating func finishEscaped(into out: inout [UInt8]) throws(FieldIssue) {
            while true {
                guard let b = next() else { throw syntax("a string is not closed") }
                switch b {
                case UInt8(ascii: "\""): return
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
