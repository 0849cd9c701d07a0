/// Strict ISO 8601 / RFC 3339 date-times for the wire: an offset (`Z` or `±HH:MM`) is mandatory.
///
/// Accepted: `YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH:MM|±HHMM)`; a space may stand for `T`.
/// Fractions finer than a millisecond are truncated.
public enum ISO8601 {
    public static func parse(_ text: some StringProtocol) -> Instant? {
        parse(bytes: Array(text.utf8))
    }

    /// Parses UTF-8 bytes indexed from zero (an array or a buffer).
    static func parse<Bytes: RandomAccessCollection<UInt8>>(bytes b: Bytes) -> Instant? where Bytes.Index == Int {
        guard b.count >= 17, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "t"),
              let date = LocalDate(bytes: b[0..<10]),
              b[13] == UInt8(ascii: ":"),
              let hour = Digits.value(b[11..<13]), let minute = Digits.value(b[14..<16]),
              hour < 24, minute < 60 else { return nil }
        var i = 16
        var second = 0
        var millis = 0
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard i + 3 <= b.count, let s = Digits.value(b[(i + 1)..<(i + 3)]), s < 60 else { return nil }
            second = s
            i += 3
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                var digits = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    if digits < 3 { millis = millis * 10 + Int(b[i] - 48) }
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                // (`digits..<3` would trap for more than three digits: build the range only when it is one.)
                if digits < 3 { for _ in digits..<3 { millis *= 10 } }
            }
        }
        guard i < b.count, let offsetSeconds = offset(b[i...]) else { return nil }
        let seconds = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Instant(millisecondsSinceEpoch: seconds * 1000 + Int64(millis))
    }

    private static func offset<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes) -> Int? where Bytes.Index == Int {
        let start = b.startIndex
        if b.count == 1, b[start] == UInt8(ascii: "Z") || b[start] == UInt8(ascii: "z") { return 0 }
        guard b[start] == UInt8(ascii: "+") || b[start] == UInt8(ascii: "-") else { return nil }
        let sign = b[start] == UInt8(ascii: "-") ? -1 : 1
        let hours: Int?
        let minutes: Int?
        switch b.count {
        case 6 where b[start + 3] == UInt8(ascii: ":"):
            hours = Digits.value(b[(start + 1)..<(start + 3)]); minutes = Digits.value(b[(start + 4)..<(start + 6)])
        case 5:
            hours = Digits.value(b[(start + 1)..<(start + 3)]); minutes = Digits.value(b[(start + 3)..<(start + 5)])
        default:
            return nil
        }
        guard let h = hours, let m = minutes, h <= 18, m < 60 else { return nil }
        return sign * (h * 3600 + m * 60)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, with `.mmm` only when the milliseconds are not zero.
    public static func format(_ instant: Instant) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        write(instant, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same text as ``format(_:)``, appended as ASCII bytes.
    static func write(_ instant: Instant, into bytes: inout [UInt8]) {
        let ms = instant.millisecondsSinceEpoch
        let totalSeconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int(ms - totalSeconds * 1000)
        let days = totalSeconds >= 0 ? totalSeconds / 86_400 : (totalSeconds - 86_399) / 86_400
        let secondOfDay = Int(totalSeconds - days * 86_400)
        LocalDate(dayNumber: Int(days)).write(into: &bytes)
        bytes.append(UInt8(ascii: "T"))
        Digits.append(secondOfDay / 3600, 2, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Digits.append(secondOfDay / 60 % 60, 2, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Digits.append(secondOfDay % 60, 2, into: &bytes)
        if millis != 0 {
            bytes.append(UInt8(ascii: "."))
            Digits.append(millis, 3, into: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
    }
}
