import GRDB
public import PortDailyCore

/// What one sealing run did.
public struct SealResult: Sendable, Codable, Equatable {
    /// Every date up to and including this one is sealed (nil: nothing sealed yet).
    public let sealedThrough: LocalDate?
    /// The dates this run sealed that have reports, with their report counts.
    public let sealedDays: [SealedDay]

    public struct SealedDay: Sendable, Codable, Equatable {
        public let date: LocalDate
        public let reports: Int
        public init(date: LocalDate, reports: Int) { self.date = date; self.reports = reports }
    }
}

/// The sealing state: one watermark date. A day is sealed when its date is at or before it, so
/// even a day with no data yet is sealed, and a first voyage arriving for it later is late.
enum Sealing {
    static func sealedThrough(_ db: Database) throws -> LocalDate? {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT sealedThrough FROM sealState WHERE id = 1")).map(LocalDate.init(dayNumber:))
    }
}

extension PortDailyStore {
    /// Seals every day that is due at `now`: its following local midnight plus the grace period
    /// has passed. The stale days among them are folded first: in chunks before the sealing
    /// transaction (a bulk import into a store never sealed leaves a year of them), and those
    /// marked meanwhile in that transaction.
    public func seal(rules: StoreRules, now: Instant) throws -> SealResult {
        let due = rules.calendar.latestSealableDate(at: now)
        try foldStaleDays(.through(due), rules: rules, now: now, daysPerTransaction: StaleDays.largeChunk) { _ in }
        return try writer.write { db in
            let previous = try Sealing.sealedThrough(db)
            try db.execute(sql: "UPDATE sealState SET lastRunAt = ? WHERE id = 1", arguments: [now.millisecondsSinceEpoch])
            guard previous.map({ $0 < due }) ?? true else { return SealResult(sealedThrough: previous, sealedDays: []) }
            // Open days left stale are folded first: their reports are still revision 1, not late.
            var after: VesselDay?
            while case let days = try StaleDays.page(db, .through(due), after: after), let last = days.last {
                _ = try StaleDays.fold(days, in: db, rules: rules, now: now)
                after = last
            }
            try db.execute(sql: "UPDATE sealState SET sealedThrough = ? WHERE id = 1", arguments: [due.dayNumber])
            let rows = try Row.fetchAll(db, sql: """
                SELECT reportDate, COUNT(DISTINCT reportId) AS reports FROM reportRevision
                WHERE reportDate > ? AND reportDate <= ? GROUP BY reportDate ORDER BY reportDate
                """, arguments: [previous?.dayNumber ?? Int.min, due.dayNumber])
            let days = rows.map { SealResult.SealedDay(date: LocalDate(dayNumber: $0["reportDate"]), reports: $0["reports"]) }
            return SealResult(sealedThrough: due, sealedDays: days)
        }
    }
}
