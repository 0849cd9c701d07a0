public import Foundation

/// Turns instants into the local report dates of the administration's time zone, and
/// says which days are due to be sealed.
public struct ReportCalendar: Sendable, Equatable {
    public let timeZone: TimeZone
    /// Time after local midnight before the previous day is sealed.
    public let sealGraceMilliseconds: Int64

    public init(timeZone: TimeZone, sealGraceMilliseconds: Int64) {
        self.timeZone = timeZone
        self.sealGraceMilliseconds = sealGraceMilliseconds
    }

    /// The local date an instant falls on.
    public func localDate(of instant: Instant) -> LocalDate {
        let seconds = instant.millisecondsSinceEpoch >= 0
            ? instant.millisecondsSinceEpoch / 1000 : (instant.millisecondsSinceEpoch - 999) / 1000
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        let local = seconds + offset
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return LocalDate(dayNumber: Int(day))
    }

    /// The latest date whose following local midnight plus the grace period is at or before `now`:
    /// every date up to and including it may be sealed.
    public func latestSealableDate(at now: Instant) -> LocalDate {
        localDate(of: now.adding(milliseconds: -sealGraceMilliseconds)).adding(days: -1)
    }

    /// The instant a date becomes due for sealing: its following local midnight plus the grace period.
    public func sealDue(for date: LocalDate) -> Instant {
        startOfDay(date.adding(days: 1)).adding(milliseconds: sealGraceMilliseconds)
    }

    /// The instant of a date's local midnight.
    public func startOfDay(_ date: LocalDate) -> Instant {
        // Start from UTC midnight and correct by the zone's offset there, twice to settle across a change.
        let utcMidnight = Int64(date.dayNumber) * 86_400
        var offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utcMidnight))))
        offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utcMidnight - offset))))
        return Instant(millisecondsSinceEpoch: (utcMidnight - offset) * 1000)
    }
}
