/// Builds JSON text as UTF-8 bytes: the fast path of the canonical writers, which the store runs
/// for every report revision, and of the report lists, which splice stored JSON without decoding it.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Ends a line of NDJSON: the next value starts a new document.
    public mutating func newline() { bytes.append(UInt8(ascii: "\n")); needsComma = false }

    /// Forgets what was written (after it was flushed), keeping the capacity.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true); needsComma = false }

    /// Opens an object that starts with the members of `object`, the compact JSON of an object as
    /// UTF-8 (trusted: written by this program's canonical writers), so more members can follow.
    public mutating func beginObject(extending object: [UInt8]) {
        assert(object.first == UInt8(ascii: "{") && object.last == UInt8(ascii: "}"), "not a compact JSON object")
        separate()
        bytes.append(contentsOf: object.dropLast())
        needsComma = object.count > 2
    }

    /// A value that is JSON as UTF-8 already (trusted: written by this program).
    public mutating func json(_ value: [UInt8]) { separate(); bytes.append(contentsOf: value); needsComma = true }

    public mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8); needsComma = true }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// A key of the current object; the value written next belongs to it. Keys are literals of
    /// this program, copied as they are: escaping them, every key of every report, was a third of
    /// the time spent quoting.
    public mutating func key(_ name: StaticString) {
        assert(name.hasPointerRepresentation && name.withUTF8Buffer { $0.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C } },
               "a key that needs escaping")
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A key that is data (a job name), escaped.
    public mutating func key(text name: String) {
        separate()
        quote(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) { separate(); quote(value); needsComma = true }
    public mutating func number(_ value: Int) { separate(); Digits.append(value, 1, into: &bytes); needsComma = true }
    public mutating func number(_ value: Int64) { number(Int(value)) }

    /// A key and its string value; nothing when the value is absent.
    public mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    /// A key and its time as ISO 8601 text (``ISO8601/format(_:)``); nothing when absent.
    public mutating func field(_ name: StaticString, _ value: Instant?) {
        guard let value else { return }
        key(name)
        separate()
        bytes.append(UInt8(ascii: "\""))
        ISO8601.write(value, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        number(value)
    }

    /// A decimal number given as an integer count of 10^-places (48381633, 6: 48.381633), its
    /// trailing zeros dropped: exact, where formatting a Double would print its binary error.
    public mutating func decimal(_ scaled: Int, places: Int) {
        separate()
        needsComma = true
        if scaled < 0 { bytes.append(UInt8(ascii: "-")) }
        var divisor = 1
        for _ in 0..<places { divisor *= 10 }
        let magnitude = scaled.magnitude
        Digits.append(Int(magnitude / UInt(divisor)), 1, into: &bytes)
        var fraction = Int(magnitude % UInt(divisor))
        guard fraction != 0 else { return }
        var digits = places
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        bytes.append(UInt8(ascii: "."))
        Digits.append(fraction, digits, into: &bytes)
    }

    private mutating func separate() { if needsComma { bytes.append(UInt8(ascii: ",")) } }

    /// A JSON string literal: quote, backslash and control characters escaped as `JSONEncoder`
    /// does; every other character, non-ASCII included, as its own UTF-8 bytes.
    private mutating func quote(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // `withUTF8` reaches a small string's bytes too (`utf8.withContiguousStorageIfAvailable`
        // has none for strings of up to 15 bytes, most of a report's, and copying them into an
        // array cost an allocation per string).
        var text = text
        text.withUTF8 { appendEscaped($0) }
    }

    /// The UTF-8 of a string's content, escaped, and the closing quote. (A buffer pointer, not
    /// any collection of bytes: the generic version was not specialized, and its per-byte loop
    /// went through witness tables.)
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// The same literal as text, for writers that build strings.
    static func quoted(_ text: String) -> String {
        var writer = JSONWriter(capacity: text.utf8.count + 2)
        writer.quote(text)
        return writer.text
    }
}
