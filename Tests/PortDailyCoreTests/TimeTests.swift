import Foundation
import PortDailyCore
import PortDailySimulation
import PortDailyTestSupport
import Testing

@Suite("Instants, dates and the report calendar")
struct TimeTests {
    @Test("ISO 8601 times with an offset parse to the same instant however the offset is written")
    func offsets() {
        let utc = ISO8601.parse("2026-03-02T00:30:00Z")
        #expect(utc != nil)
        #expect(ISO8601.parse("2026-03-02T08:30:00+08:00") == utc)
        #expect(ISO8601.parse("2026-03-02T08:30:00+0800") == utc)
        #expect(ISO8601.parse("2026-03-01T19:30:00-05:00") == utc)
        #expect(ISO8601.parse("2026-03-02 08:30+08:00") == utc)
        #expect(ISO8601.parse("2026-03-02T00:30:00.250Z")?.millisecondsSinceEpoch == utc!.millisecondsSinceEpoch + 250)
        #expect(ISO8601.parse("2026-03-02T00:30:00.1Z")?.millisecondsSinceEpoch == utc!.millisecondsSinceEpoch + 100)
    }

    /// Python's `isoformat()` writes microseconds, Java and .NET up to nanoseconds: such a time
    /// once trapped the parser (and so the daemon) instead of being truncated to milliseconds.
    @Test("fractions finer than a millisecond are truncated", arguments: 4...12)
    func fineFractions(digits: Int) {
        let text = "2026-03-02T08:30:00." + String("123456789012".prefix(digits)) + "+08:00"
        #expect(ISO8601.parse(text)?.millisecondsSinceEpoch == ISO8601.parse("2026-03-02T00:30:00.123Z")?.millisecondsSinceEpoch)
    }

    @Test("times without an offset, impossible dates and garbage are refused",
          arguments: ["2026-03-02T08:30:00", "2026-02-30T08:30:00Z", "2026-03-02T24:00:00Z", "2026-13-01T00:00:00Z",
                      "2026-03-02", "yesterday", "", "2026-03-02T08:30:00+8", "2026-03-02T08:30:00.Z"])
    func refused(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test("the epoch and a known instant match Foundation")
    func knownInstant() {
        let instant = ISO8601.parse("2026-11-25T15:51:08Z")!
        let foundation = ISO8601DateFormatter().date(from: "2026-11-25T15:51:08Z")!
        #expect(instant.millisecondsSinceEpoch == Int64(foundation.timeIntervalSince1970) * 1000)
        #expect(ISO8601.format(instant) == "2026-11-25T15:51:08Z")
        #expect(ISO8601.format(Instant(millisecondsSinceEpoch: 0)) == "1970-01-01T00:00:00Z")
        #expect(ISO8601.format(Instant(millisecondsSinceEpoch: -1)) == "1969-12-31T23:59:59.999Z")
        // Years of fewer than four digits keep their zeros; milliseconds of fewer than three too.
        let year999 = ISO8601.parse("0999-02-03T04:05:06.007Z")!
        #expect(ISO8601.format(year999) == "0999-02-03T04:05:06.007Z")
        #expect(ISO8601.format(ISO8601.parse("0009-12-31T23:59:59.050Z")!) == "0009-12-31T23:59:59.050Z")
    }

    @Test("formatted instants agree with Foundation's ISO 8601 formatter from 1900 to 2200, with and without milliseconds")
    func formatMatchesFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")!
        let seed = TestSeed.make()
        var generator = SeededGenerator(seed: seed)
        for round in 0..<3000 {
            var ms = Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &generator)
            if round.isMultiple(of: 2) { ms -= ms % 1000 }
            var expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(ms) / 1000))
            if ms % 1000 == 0 { expected = expected.replacingOccurrences(of: ".000Z", with: "Z") }
            #expect(ISO8601.format(Instant(millisecondsSinceEpoch: ms)) == expected, "seed \(seed) (PORTDAILY_TEST_SEED)")
        }
    }

    @Test("day numbers agree with Foundation's Gregorian calendar over four centuries")
    func civilCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let seed = TestSeed.make()
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<2000 {
            let day = Int.random(in: -80_000...80_000, using: &generator)
            let date = Date(timeIntervalSince1970: TimeInterval(day) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let local = LocalDate(dayNumber: day)
            #expect(local.components.year == parts.year && local.components.month == parts.month && local.components.day == parts.day,
                    "seed \(seed) (PORTDAILY_TEST_SEED)")
            #expect(LocalDate(local.description) == local, "seed \(seed) (PORTDAILY_TEST_SEED)")
        }
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("2026-3-1") == nil)
    }

    @Test("a voyage belongs to the local date of its departure in the configured zone")
    func localDate() {
        let calendar = Fixture.calendar
        #expect(calendar.localDate(of: Fixture.instant("2026-03-01T16:00:00Z")) == Fixture.date("2026-03-02"))
        #expect(calendar.localDate(of: Fixture.instant("2026-03-01T15:59:59.999Z")) == Fixture.date("2026-03-01"))
        #expect(calendar.startOfDay(Fixture.date("2026-03-02")) == Fixture.instant("2026-03-02T00:00:00+08:00"))
    }

    @Test("a day becomes sealable at the following local midnight plus the grace period")
    func sealing() {
        let calendar = Fixture.calendar
        #expect(calendar.sealDue(for: Fixture.date("2026-03-01")) == Fixture.instant("2026-03-02T02:00:00+08:00"))
        #expect(calendar.latestSealableDate(at: Fixture.instant("2026-03-02T01:59:59+08:00")) == Fixture.date("2026-02-28"))
        #expect(calendar.latestSealableDate(at: Fixture.instant("2026-03-02T02:00:00+08:00")) == Fixture.date("2026-03-01"))
    }

    @Test("across a daylight-saving change the local date and midnight are right")
    func daylightSaving() {
        let berlin = ReportCalendar(timeZone: TimeZone(identifier: "Europe/Berlin")!, sealGraceMilliseconds: 0)
        // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST.
        #expect(berlin.startOfDay(Fixture.date("2026-03-30")) == Fixture.instant("2026-03-30T00:00:00+02:00"))
        #expect(berlin.startOfDay(Fixture.date("2026-03-29")) == Fixture.instant("2026-03-29T00:00:00+01:00"))
        #expect(berlin.localDate(of: Fixture.instant("2026-03-29T22:30:00Z")) == Fixture.date("2026-03-30"))
    }
}

@Suite("Identifiers")
struct IdentifierTests {
    @Test("an MMSI is nine digits whose first (maritime identification) digit is 2 to 7")
    func mmsi() {
        #expect(MMSI("412000001") != nil)
        #expect(MMSI("777777777") != nil)
        #expect(MMSI("112000001") == nil)  // SAR aircraft
        #expect(MMSI("812000001") == nil)  // handheld
        #expect(MMSI("41200000") == nil)
        #expect(MMSI("4120000011") == nil)
        #expect(MMSI("41200000a") == nil)
    }

    @Test("identifiers encode as their string and refuse to decode an invalid one")
    func codable() throws {
        let mmsi = try JSONDecoder().decode([MMSI].self, from: Data(#"["412000001"]"#.utf8))
        #expect(mmsi.first?.rawValue == "412000001")
        #expect(String(decoding: try JSONEncoder().encode(mmsi), as: UTF8.self) == #"["412000001"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([MMSI].self, from: Data(#"["112000001"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([IMONumber].self, from: Data(#"["12"]"#.utf8)) }
        #expect(try JSONDecoder().decode([IMONumber].self, from: Data(#"["9074729"]"#.utf8)).first?.checkDigitIsValid == true)
    }

    @Test("IMO numbers: seven digits, check digit computed with weights 7 to 2")
    func imo() {
        #expect(IMONumber("9074729")?.checkDigitIsValid == true)  // 9·7+0·6+7·5+4·4+7·3+2·2 = 139
        #expect(IMONumber("IMO 9074729")?.rawValue == "9074729")
        #expect(IMONumber("9074728")?.checkDigitIsValid == false)
        #expect(IMONumber("907472") == nil)
        #expect(IMONumber("9176187")?.checkDigitIsValid == true)  // 9·7+1·6+7·5+6·4+1·3+8·2 = 147
        #expect(IMONumber("8849969")?.checkDigitIsValid == true)  // 8·7+8·6+4·5+9·4+9·3+6·2 = 199
        #expect(IMONumber("9176188")?.checkDigitIsValid == false)
        #expect(IMONumber("imo9074729")?.rawValue == "9074729")
        #expect(IMONumber("Imo  9074729")?.rawValue == "9074729")
        for refused in ["IM9074729", "XMO9074729", "IMO", "IMO 907472x", "9074729 "] { #expect(IMONumber(refused) == nil, "\(refused)") }
    }
}
