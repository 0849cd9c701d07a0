public import PortDailyCore

/// One `!--VDM` / `!--VDO` sentence, with what its line says about its reception.
public struct NMEASentence: Sendable {
    /// The talker: `AI` (an AIS station), `AB` and `BS` (base stations), and others.
    public var talker: String
    /// `VDO`: the receiver's own vessel's messages.
    public var ownVessel: Bool
    public var fragmentCount: Int
    public var fragmentNumber: Int
    /// The sequential message id that ties a multi-sentence message's fragments (0-9), if any.
    public var sequenceId: Int?
    /// The radio channel, `A`, `B`, `1`, `2` (0 when the field is empty).
    public var channel: UInt8
    /// The armoured payload characters.
    public var payload: [UInt8]
    public var fillBits: Int
    /// When the line was received: a tag block's `c:` or a timestamp that starts the line.
    public var receivedAt: Instant?
    /// The receiving station (a tag block's `s:`).
    public var source: String?
}

/// Why a line or a message was not decoded.
public enum AISRefusal: String, CaseIterable, Sendable, Hashable, Error {
    /// The sentence's checksum does not match (or its tag block's).
    case checksum
    /// Not a well-formed sentence: fields missing, numbers out of range, no checksum.
    case malformed
    /// A payload character outside the six-bit alphabet.
    case badPayload = "bad payload"
    /// Fewer bits than the message type needs.
    case truncated
    /// A message type that ITU-R M.1371 does not define (0, or above 27).
    case unknownType = "unknown type"
    /// A fragment whose message never completed (lost, out of its time, or alone).
    case loneFragment = "lone fragment"
}

/// Reads one line of an AIS recording or feed: an optional leading timestamp (Unix seconds or
/// milliseconds, ISO 8601, `DD/MM/YYYY HH:MM:SS`, quoted or not), optional NMEA 4.10 tag
/// blocks (`\c:...,s:...*hh\`), then the sentence. After the sentence's checksum some
/// recorders append the Unix time (`,1327664821`, taken when the line gave no other time) or a
/// receiver id (ignored).
public enum NMEALine {
    public enum Parsed: Sendable {
        case sentence(NMEASentence)
        case refused(AISRefusal)
        /// A blank line, a comment, or another NMEA sentence (`$GPVTG`, `$BSALR`, ...).
        case ignored
    }

    public static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Parsed {
        var end = line.count
        while end > 0, line[end - 1] <= 32 { end -= 1 }
        var begin = 0
        while begin < end, line[begin] <= 32 { begin += 1 }
        guard begin < end, line[begin] != UInt8(ascii: "#") else { return .ignored }
        // The sentence starts at the first `!` outside the tag blocks.
        var index = begin
        var inTag = false
        var bang = -1
        while index < end {
            let byte = line[index]
            if byte == UInt8(ascii: "\\") { inTag.toggle() } else if !inTag, byte == UInt8(ascii: "!") { bang = index; break }
            index += 1
        }
        guard bang >= 0 else {
            return line[begin..<end].contains(UInt8(ascii: "$")) ? .ignored : .refused(.malformed)
        }
        switch prefix(line, begin, bang) {
        case .failure(let refusal): return .refused(refusal)
        case .success(let stamp): return sentence(line, bang, end, received: stamp.received, source: stamp.source)
        }
    }

    /// The tag blocks and the timestamp before the sentence.
    private static func prefix(_ line: UnsafeBufferPointer<UInt8>, _ begin: Int, _ bang: Int)
        -> Result<(received: Instant?, source: String?), AISRefusal> {
        guard begin < bang else { return .success((nil, nil)) }
        var received: Instant?
        var source: String?
        var stamp: [UInt8] = []
        var index = begin
        while index < bang {
            if line[index] == UInt8(ascii: "\\") {
                var close = index + 1
                while close < bang, line[close] != UInt8(ascii: "\\") { close += 1 }
                guard close < bang else { return .failure(.malformed) }
                let tag: TagBlock
                switch TagBlock.parse(line, index + 1, close) {
                case .success(let block): tag = block
                case .failure(let refusal): return .failure(refusal)
                }
                received = tag.received ?? received
                source = tag.source ?? source
                index = close + 1
            } else {
                stamp.append(line[index])
                index += 1
            }
        }
        if received == nil, !stamp.isEmpty { received = LineTimestamp.parse(stamp) }
        return .success((received, source))
    }

    private static func sentence(_ line: UnsafeBufferPointer<UInt8>, _ bang: Int, _ end: Int,
                                 received: Instant?, source: String?) -> Parsed {
        // `!` + talker (2) + `VDM`/`VDO`; other `!` sentences are not AIS messages.
        guard end - bang > 6 else { return .refused(.malformed) }
        let formatter = (line[bang + 3], line[bang + 4], line[bang + 5])
        guard formatter.0 == UInt8(ascii: "V"), formatter.1 == UInt8(ascii: "D"),
              formatter.2 == UInt8(ascii: "M") || formatter.2 == UInt8(ascii: "O") else { return .ignored }
        var star = bang + 1
        var sum: UInt8 = 0
        while star < end, line[star] != UInt8(ascii: "*") { sum ^= line[star]; star += 1 }
        guard star + 3 <= end,
              let high = hex(line[star + 1]), let low = hex(line[star + 2]) else { return .refused(.malformed) }
        guard high << 4 | low == sum else { return .refused(.checksum) }
        // Some recorders append the receive time after the checksum: `...*hh,1327664821`.
        var received = received
        if received == nil, star + 4 < end, line[star + 3] == UInt8(ascii: ",") {
            received = LineTimestamp.unix(Array(UnsafeBufferPointer(rebasing: line[(star + 4)..<end])))
        }
        // Fields between the formatter and the checksum: count, number, sequence, channel, payload, fill.
        var fields: [Range<Int>] = []
        fields.reserveCapacity(6)
        var start = bang + 7
        guard bang + 6 < star, line[bang + 6] == UInt8(ascii: ",") else { return .refused(.malformed) }
        for position in start...star where position == star || line[position] == UInt8(ascii: ",") {
            fields.append(start..<position)
            start = position + 1
        }
        guard fields.count == 6,
              let count = number(line, fields[0]), (1...9).contains(count),
              let number = number(line, fields[1]), (1...count).contains(number) else { return .refused(.malformed) }
        var sequence: Int?
        if !fields[2].isEmpty {
            guard let value = Self.number(line, fields[2]) else { return .refused(.malformed) }
            sequence = value
        }
        guard fields[3].count <= 1 else { return .refused(.malformed) }
        let channel = fields[3].isEmpty ? 0 : line[fields[3].lowerBound]
        let fill = fields[5].isEmpty ? 0 : Self.number(line, fields[5]) ?? -1
        guard (0...5).contains(fill), !fields[4].isEmpty else { return .refused(.malformed) }
        let payload = Array(UnsafeBufferPointer(rebasing: line[fields[4]]))
        for character in payload where Armour.value(character) == nil { return .refused(.badPayload) }
        let talker = String(decoding: UnsafeBufferPointer(rebasing: line[(bang + 1)..<(bang + 3)]), as: UTF8.self)
        return .sentence(NMEASentence(talker: talker, ownVessel: formatter.2 == UInt8(ascii: "O"), fragmentCount: count,
                                      fragmentNumber: number, sequenceId: sequence, channel: channel, payload: payload,
                                      fillBits: fill, receivedAt: received, source: source))
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }

    private static func number(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for index in range {
            let byte = line[index]
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }
}

/// An NMEA 4.10 tag block's fields: `c:` the receive time (Unix seconds; milliseconds when the
/// number is too large for seconds, as some receivers write), `s:` the source station.
struct TagBlock {
    var received: Instant?
    var source: String?

    /// The block between its backslashes. Its checksum is checked, except the `*00` that some
    /// recorders write in place of one.
    static func parse(_ line: UnsafeBufferPointer<UInt8>, _ begin: Int, _ end: Int) -> Result<TagBlock, AISRefusal> {
        var block = TagBlock()
        var star = begin
        var sum: UInt8 = 0
        while star < end, line[star] != UInt8(ascii: "*") { sum ^= line[star]; star += 1 }
        if star + 3 == end {
            guard let high = NMEALine.hex(line[star + 1]), let low = NMEALine.hex(line[star + 2]) else { return .failure(.malformed) }
            let given = high << 4 | low
            guard given == sum || given == 0 else { return .failure(.checksum) }
        } else if star != end {
            return .failure(.malformed)
        }
        var start = begin
        for position in begin...star where position == star || line[position] == UInt8(ascii: ",") {
            let field = UnsafeBufferPointer(rebasing: line[start..<position])
            start = position + 1
            guard field.count > 2, field[1] == UInt8(ascii: ":") else { continue }
            let value = UnsafeBufferPointer(rebasing: field[2...])
            switch field[0] {
            case UInt8(ascii: "c"): block.received = LineTimestamp.unix(Array(value))
            case UInt8(ascii: "s"): block.source = String(decoding: value, as: UTF8.self)
            default: break
            }
        }
        return .success(block)
    }
}

/// The timestamps recorders put before each sentence.
enum LineTimestamp {
    static func parse(_ raw: [UInt8]) -> Instant? {
        // Trim spaces, quotes, and the separator between the stamp and the sentence.
        var bytes = raw[...]
        let trimmed: Set<UInt8> = [32, 9, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ":"), UInt8(ascii: ";"),
                                   UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: "["), UInt8(ascii: "]")]
        while let first = bytes.first, trimmed.contains(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, trimmed.contains(last) { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { return nil }
        let text = Array(bytes)
        if let instant = unix(text) { return instant }
        // DD/MM/YYYY HH:MM:SS (gpsd's recordings) and YYYY/MM/DD HH:MM:SS.
        var iso = text
        if text.count >= 19, text[2] == UInt8(ascii: "/"), text[5] == UInt8(ascii: "/") {
            iso = Array(text[6..<10]) + [45] + Array(text[3..<5]) + [45] + Array(text[0..<2]) + Array(text[10...])
        } else if text.count >= 19, text[4] == UInt8(ascii: "/"), text[7] == UInt8(ascii: "/") {
            iso = text.map { $0 == UInt8(ascii: "/") ? 45 : $0 }
        }
        if let instant = ISO8601.parse(String(decoding: iso, as: UTF8.self)) { return instant }
        // Without an offset the recorder's clock is taken as UTC.
        return ISO8601.parse(String(decoding: iso, as: UTF8.self) + "Z")
    }

    /// Unix seconds (with a fraction) or milliseconds (13 digits and more).
    static func unix(_ text: [UInt8]) -> Instant? {
        var whole: Int64 = 0
        var digits = 0
        var index = 0
        while index < text.count, text[index] >= 48, text[index] <= 57, digits < 16 {
            whole = whole * 10 + Int64(text[index] - 48)
            digits += 1
            index += 1
        }
        guard digits >= 9 else { return nil }
        var millis: Int64 = 0
        if index < text.count {
            guard text[index] == UInt8(ascii: "."), digits <= 10 else { return nil }
            index += 1
            var places = 0
            while index < text.count, text[index] >= 48, text[index] <= 57 {
                if places < 3 { millis = millis * 10 + Int64(text[index] - 48); places += 1 }
                index += 1
            }
            guard index == text.count, places > 0 else { return nil }
            while places < 3 { millis *= 10; places += 1 }
        }
        if digits >= 12 { return Instant(millisecondsSinceEpoch: whole) }
        return Instant(millisecondsSinceEpoch: whole * 1000 + millis)
    }
}
