public import PortDailyCore

/// A decoded AIS message: the fields PortDaily uses, each nil where the message does not carry
/// it or says "not available" (ITU-R M.1371-5).
public struct AISMessage: Sendable, Equatable {
    public var type: Int
    public var mmsi: Int
    /// Decimal degrees, from 1/10,000 minute; nil at 91 / 181 ("not available") or out of range.
    public var lat: Double?
    public var lon: Double?
    /// Speed over ground in knots (0.1 kn steps); nil at 102.3.
    public var sog: Double?
    /// Course over ground in degrees (0.1° steps); nil at 360.
    public var cog: Double?
    /// True heading in degrees; nil at 511.
    public var heading: Int?
    /// Navigational status (0 under way using engine, 1 at anchor, 5 moored, ...; 15 undefined).
    public var navStatus: Int?
    public var shipType: Int?
    public var name: String?
    public var callSign: String?
    public var imo: Int?
    public var destination: String?
    /// Metres from the position reference to bow, stern, port and starboard.
    public var dimensions: Dimensions?
    /// Type 24: part A (0) carries the name, part B (1) the rest.
    public var partNumber: Int?
    /// Type 24 part B of an auxiliary craft (MMSI 98xxxxxxx): its mother ship.
    public var mothershipMMSI: Int?
    /// Type 4: the base station's UTC.
    public var stationTime: Instant?

    /// From the sentence: the `VDO` of the receiver's own vessel, the channel, when and where it was received.
    public var ownVessel = false
    public var channel: UInt8 = 0
    public var receivedAt: Instant?
    public var source: String?

    public struct Dimensions: Sendable, Equatable {
        public var bow, stern, port, starboard: Int
        public init(bow: Int, stern: Int, port: Int, starboard: Int) {
            self.bow = bow
            self.stern = stern
            self.port = port
            self.starboard = starboard
        }
    }

    public init(type: Int, mmsi: Int) {
        self.type = type
        self.mmsi = mmsi
    }

    /// The position types: class A (1-3), class B (18, 19).
    public var isPosition: Bool { (1...3).contains(type) || type == 18 || type == 19 }

    /// The message types this decoder reads; other defined types are counted and skipped.
    public static let decodedTypes: Set<Int> = [1, 2, 3, 4, 5, 18, 19, 24]

    /// The bits each decoded type needs: the standard lengths, less what transponders in the
    /// wild leave out and gpsd accepts (class A reports of 163 bits, a short radio state; type 5
    /// of 420, without its last four bits).
    public static func minimumBits(_ type: Int) -> Int {
        switch type {
        case 1, 2, 3: return 163
        case 5: return 420
        case 19: return 312
        case 24: return 160
        default: return 168
        }
    }

    public enum Outcome: Sendable, Equatable {
        case decoded(AISMessage)
        case refused(AISRefusal)
        /// A defined type this decoder does not read.
        case skipped(type: Int)
    }

    public static func decode(_ bits: AISBits) -> Outcome {
        guard bits.count >= 38 else { return .refused(.truncated) }
        let type = bits.int(0, 6)
        guard (1...27).contains(type) else { return .refused(.unknownType) }
        guard decodedTypes.contains(type) else { return .skipped(type: type) }
        guard bits.count >= minimumBits(type) else { return .refused(.truncated) }
        var message = AISMessage(type: type, mmsi: bits.int(8, 30))
        switch type {
        case 1, 2, 3:
            message.navStatus = bits.int(38, 4)
            message.sog = speed(bits.int(50, 10))
            message.lon = longitude(bits.signed(61, 28))
            message.lat = latitude(bits.signed(89, 27))
            message.cog = course(bits.int(116, 12))
            message.heading = heading(bits.int(128, 9))
        case 4:
            message.lon = longitude(bits.signed(79, 28))
            message.lat = latitude(bits.signed(107, 27))
            message.stationTime = stationTime(year: bits.int(38, 14), month: bits.int(52, 4), day: bits.int(56, 5),
                                              hour: bits.int(61, 5), minute: bits.int(66, 6), second: bits.int(72, 6))
        case 5:
            message.imo = nonZero(bits.int(40, 30))
            message.callSign = nonEmpty(bits.text(70, characters: 7))
            message.name = nonEmpty(bits.text(112, characters: 20))
            message.shipType = bits.int(232, 8)
            message.dimensions = dimensions(bits, 240)
            message.destination = nonEmpty(bits.text(302, characters: 20))
        case 18, 19:
            message.sog = speed(bits.int(46, 10))
            message.lon = longitude(bits.signed(57, 28))
            message.lat = latitude(bits.signed(85, 27))
            message.cog = course(bits.int(112, 12))
            message.heading = heading(bits.int(124, 9))
            if type == 19 {
                message.name = nonEmpty(bits.text(143, characters: 20))
                message.shipType = bits.int(263, 8)
                message.dimensions = dimensions(bits, 271)
            }
        case 24:
            let part = bits.int(38, 2)
            message.partNumber = part
            if part == 0 {
                message.name = nonEmpty(bits.text(40, characters: 20))
            } else if part == 1 {
                guard bits.count >= 168 else { return .refused(.truncated) }
                message.shipType = bits.int(40, 8)
                message.callSign = nonEmpty(bits.text(90, characters: 7))
                if message.mmsi / 10_000_000 == 98 {
                    message.mothershipMMSI = bits.int(132, 30)
                } else {
                    message.dimensions = dimensions(bits, 132)
                }
            } else {
                return .refused(.malformed)
            }
        default:
            break
        }
        return .decoded(message)
    }

    private static func speed(_ tenths: Int) -> Double? { tenths == 1023 ? nil : Double(tenths) / 10 }
    private static func course(_ tenths: Int) -> Double? { tenths >= 3600 ? nil : Double(tenths) / 10 }
    private static func heading(_ degrees: Int) -> Int? { degrees >= 360 ? nil : degrees }
    private static func longitude(_ raw: Int) -> Double? { abs(raw) > 108_000_000 ? nil : Double(raw) / 600_000 }
    private static func latitude(_ raw: Int) -> Double? { abs(raw) > 54_000_000 ? nil : Double(raw) / 600_000 }
    private static func nonZero(_ value: Int) -> Int? { value == 0 ? nil : value }
    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    private static func dimensions(_ bits: AISBits, _ start: Int) -> Dimensions? {
        let value = Dimensions(bow: bits.int(start, 9), stern: bits.int(start + 9, 9), port: bits.int(start + 18, 6),
                               starboard: bits.int(start + 24, 6))
        return value == Dimensions(bow: 0, stern: 0, port: 0, starboard: 0) ? nil : value
    }

    private static func stationTime(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Instant? {
        guard year > 0, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60,
              let date = LocalDate(year: year, month: month, day: day) else { return nil }
        let seconds = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Instant(millisecondsSinceEpoch: seconds * 1000)
    }
}
