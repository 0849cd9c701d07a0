/// Text from UTF-8 bytes that must be valid (input is refused, never repaired).
enum UTF8Text {
    /// The text the bytes spell, or nil when they are not valid UTF-8.
    ///
    /// ASCII, the common case, is taken as it is. Otherwise the bytes are decoded with repair and
    /// compared with what came in: a repair puts U+FFFD where an invalid sequence was, and those
    /// bytes cannot have been there (they would have been a valid sequence), so any repair shows
    /// as a difference. This avoids the generic validating initialiser, which costs more than
    /// the parse around it.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        let text = String(decoding: bytes, as: UTF8.self)
        if high < 0x80 { return text }
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    /// Whether the bytes are valid UTF-8 (the same test, without keeping the text of ASCII).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        return high < 0x80 || String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }

    static func string(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { string($0) }
    }

    static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        bytes.withUnsafeBufferPointer { string(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}
