public import PortDailyCore

/// Writes messages as AIVDM sentences: the inverse of the decoder for the types it reads, for
/// simulated feeds, tests and benchmarks. Fields the message does not carry are written as
/// "not available"; those PortDaily does not read (repeat indicator, radio state, ETA) as zero.
public enum AISEncoder {
    /// The message's bits.
    public static func bits(_ message: AISMessage) -> AISBits {
        var bits = AISBits()
        func put(_ value: Int, _ length: Int) { bits.append(UInt64(bitPattern: Int64(value)), bits: length) }
        func text(_ value: String?, _ characters: Int) {
            var scalars = Array((value ?? "").utf8.prefix(characters))
            while scalars.count < characters { scalars.append(UInt8(ascii: "@")) }
            for byte in scalars {
                let upper = byte >= 97 && byte <= 122 ? byte - 32 : byte
                let code = upper >= 64 && upper < 96 ? upper - 64 : (upper >= 32 && upper < 64 ? upper : 32)
                put(Int(code), 6)
            }
        }
        func position() {
            put(message.lon.map { Int(($0 * 600_000).rounded()) } ?? 108_600_000, 28)
            put(message.lat.map { Int(($0 * 600_000).rounded()) } ?? 54_600_000, 27)
        }
        func dimensions() {
            let d = message.dimensions ?? AISMessage.Dimensions(bow: 0, stern: 0, port: 0, starboard: 0)
            put(d.bow, 9); put(d.stern, 9); put(d.port, 6); put(d.starboard, 6)
        }
        let sog = message.sog.map { Int(($0 * 10).rounded()) } ?? 1023
        let cog = message.cog.map { Int(($0 * 10).rounded()) } ?? 3600
        let heading = message.heading ?? 511
        // The UTC second of the report, as a transponder writes it (60: not available).
        let second = message.receivedAt.map { Int(($0.millisecondsSinceEpoch / 1000) % 60) } ?? 60
        // The radio state changes with every transmission (SOTDMA slot time-outs and offsets), so two
        // reports of a moored vessel are never the same payload: here, the report's time in seconds.
        let radio = message.receivedAt.map { Int(($0.millisecondsSinceEpoch / 1000) % (1 << 19)) } ?? 0
        put(message.type, 6)
        put(0, 2)
        put(message.mmsi, 30)
        switch message.type {
        case 1, 2, 3:
            put(message.navStatus ?? 15, 4)
            put(-128, 8)
            put(sog, 10)
            put(0, 1)
            position()
            put(cog, 12); put(heading, 9); put(second, 6); put(0, 2); put(0, 3); put(0, 1); put(radio, 19)
        case 4:
            var parts = (year: 0, month: 0, day: 0, hour: 24, minute: 60, second: 60)
            if let time = message.stationTime {
                let seconds = time.millisecondsSinceEpoch / 1000
                let date = LocalDate(dayNumber: Int(seconds / 86_400)).components
                let second = Int(seconds % 86_400)
                parts = (date.year, date.month, date.day, second / 3600, second / 60 % 60, second % 60)
            }
            put(parts.year, 14); put(parts.month, 4); put(parts.day, 5); put(parts.hour, 5); put(parts.minute, 6); put(parts.second, 6)
            put(0, 1)
            position()
            put(1, 4); put(0, 10); put(0, 1); put(0, 19)
        case 5:
            put(0, 2)
            put(message.imo ?? 0, 30)
            text(message.callSign, 7)
            text(message.name, 20)
            put(message.shipType ?? 0, 8)
            dimensions()
            put(1, 4); put(0, 4); put(0, 5); put(24, 5); put(60, 6); put(0, 8)
            text(message.destination, 20)
            put(0, 1); put(0, 1)
        case 18, 19:
            put(0, 8)
            put(sog, 10)
            put(0, 1)
            position()
            put(cog, 12); put(heading, 9); put(second, 6)
            if message.type == 18 {
                put(0, 2); put(1, 1); put(0, 1); put(1, 1); put(1, 1); put(0, 1); put(0, 1); put(0, 1); put(radio, 20)
            } else {
                put(0, 4)
                text(message.name, 20)
                put(message.shipType ?? 0, 8)
                dimensions()
                put(1, 4); put(0, 1); put(1, 1); put(0, 1); put(0, 4)
            }
        case 24:
            put(message.partNumber ?? 0, 2)
            if message.partNumber == 1 {
                put(message.shipType ?? 0, 8)
                text(nil, 3); put(0, 4); put(0, 20)
                text(message.callSign, 7)
                if let mothership = message.mothershipMMSI { put(mothership, 30) } else { dimensions() }
                put(0, 6)
            } else {
                text(message.name, 20)
            }
        default:
            preconditionFailure("AISEncoder writes types 1-5, 18, 19 and 24, not \(message.type)")
        }
        return bits
    }

    /// The message as AIVDM sentences of at most `payloadLimit` characters each (60 keeps a
    /// sentence within NMEA's 82 characters), with tag block time when given.
    public static func sentences(_ message: AISMessage, talker: String = "AI", channel: String = "A", sequenceId: Int = 0,
                                 payloadLimit: Int = 60, receivedAt: Instant? = nil, source: String? = nil) -> [String] {
        var message = message
        if message.receivedAt == nil { message.receivedAt = receivedAt }
        let (payload, fill) = bits(message).armoured()
        let chunks = stride(from: 0, to: payload.count, by: payloadLimit).map { Array(payload[$0..<min($0 + payloadLimit, payload.count)]) }
        var tag: String?
        if receivedAt != nil || source != nil {
            var fields: [String] = []
            if let source { fields.append("s:\(source)") }
            if let receivedAt { fields.append("c:\(receivedAt.millisecondsSinceEpoch / 1000)") }
            tag = fields.joined(separator: ",")
        }
        return chunks.enumerated().map { index, chunk in
            let body = "\(talker)VD\(message.ownVessel ? "O" : "M"),\(chunks.count),\(index + 1),\(chunks.count > 1 ? String(sequenceId) : ""),\(channel),"
                + String(decoding: chunk, as: UTF8.self) + ",\(index == chunks.count - 1 ? fill : 0)"
            let line = "!\(body)*\(checksum(body))"
            guard let tag, index == 0 else { return line }
            return "\\\(tag)*\(checksum(tag))\\" + line
        }
    }

    /// NMEA's checksum: the XOR of the characters between `!`/`$`/`\` and `*`, two hex digits.
    public static func checksum(_ text: String) -> String {
        let sum = text.utf8.reduce(UInt8(0)) { $0 ^ $1 }
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(sum >> 4)], digits[Int(sum & 15)]], as: UTF8.self)
    }
}
