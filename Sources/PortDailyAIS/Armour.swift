/// The six-bit payload of AIVDM/AIVDO sentences (ITU-R M.1371, IEC 61162-1): each payload
/// character carries six bits, most significant first; the last sentence's fill bits pad the end.
public enum Armour {
    /// The six-bit value of a payload character, or nil when the character is not in the
    /// armouring alphabet (`0`...`W`, `` ` ``...`w`).
    @inline(__always)
    public static func value(_ character: UInt8) -> UInt8? {
        switch character {
        case 48...87: return character &- 48
        case 96...119: return character &- 56
        default: return nil
        }
    }

    /// The payload character of a six-bit value.
    @inline(__always)
    public static func character(_ value: UInt8) -> UInt8 {
        value < 40 ? value &+ 48 : value &+ 56
    }
}

/// A message's bits, packed into 64-bit words (most significant first), read by position.
/// Reading past the end gives zeros, as if the message had been padded.
public struct AISBits: Sendable {
    private var words: [UInt64]
    /// The number of meaningful bits (the payload's six bits a character, less the fill bits).
    public private(set) var count: Int

    public init() {
        words = []
        count = 0
    }

    /// Appends the six bits of each armoured character; false when a character is not armour.
    public mutating func append(armoured characters: UnsafeBufferPointer<UInt8>) -> Bool {
        words.reserveCapacity((count + characters.count * 6) / 64 + 2)
        for character in characters {
            guard let value = Armour.value(character) else { return false }
            append(UInt64(value), bits: 6)
        }
        return true
    }

    /// Appends the low `bits` bits of `value`.
    public mutating func append(_ value: UInt64, bits: Int) {
        precondition(bits > 0 && bits <= 64)
        let value = bits == 64 ? value : value & ((1 << UInt64(bits)) - 1)
        let offset = count & 63
        if offset == 0 { words.append(0) }
        let last = words.count - 1
        if offset + bits <= 64 {
            words[last] |= value << UInt64(64 - offset - bits)
        } else {
            let spill = offset + bits - 64
            words[last] |= value >> UInt64(spill)
            words.append(value << UInt64(64 - spill))
        }
        count += bits
    }

    /// Drops the last `bits` bits (the fill bits of the last sentence).
    public mutating func removeLast(_ bits: Int) {
        guard bits > 0 else { return }
        count = max(0, count - bits)
        let keptWords = (count + 63) / 64
        words.removeLast(words.count - keptWords)
        if count & 63 != 0 { words[keptWords - 1] &= ~UInt64(0) << UInt64(64 - (count & 63)) }
    }

    /// The unsigned value of `length` bits (at most 64) from `start`.
    @inline(__always)
    public func unsigned(_ start: Int, _ length: Int) -> UInt64 {
        let word = start >> 6
        guard word < words.count else { return 0 }
        let offset = start & 63
        var value = words[word] << UInt64(offset)
        if offset + length > 64, word + 1 < words.count { value |= words[word + 1] >> UInt64(64 - offset) }
        return value >> UInt64(64 - length)
    }

    @inline(__always)
    public func int(_ start: Int, _ length: Int) -> Int { Int(unsigned(start, length)) }

    /// The two's-complement value of `length` bits from `start`.
    @inline(__always)
    public func signed(_ start: Int, _ length: Int) -> Int {
        let raw = unsigned(start, length)
        let shift = UInt64(64 - length)
        return Int(Int64(bitPattern: raw << shift) >> Int64(shift))
    }

    /// Six-bit text (ITU-R M.1371 table 47): values below 32 are `@`...`_`, the rest are
    /// themselves. `@` ends the text (it pads unused characters); spaces either side are trimmed.
    public func text(_ start: Int, characters: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters)
        for index in 0..<characters {
            let position = start + index * 6
            guard position < count else { break }
            var value = UInt8(truncatingIfNeeded: unsigned(position, 6))
            if value < 32 { value += 64 }
            if value == 64 { break }
            bytes.append(value)
        }
        var end = bytes.count
        while end > 0, bytes[end - 1] == 32 { end -= 1 }
        var begin = 0
        while begin < end, bytes[begin] == 32 { begin += 1 }
        return String(decoding: bytes[begin..<end], as: UTF8.self)
    }

    /// The payload characters and fill bits that carry these bits.
    public func armoured() -> (payload: [UInt8], fillBits: Int) {
        let characters = (count + 5) / 6
        var payload: [UInt8] = []
        payload.reserveCapacity(characters)
        for index in 0..<characters {
            payload.append(Armour.character(UInt8(truncatingIfNeeded: unsigned(index * 6, 6))))
        }
        return (payload, characters * 6 - count)
    }
}
