import GRDB
public import PortDailyCore

/// Which stale vessel-days to fold before a read: the reads' own scope, so a pull of one day does
/// not fold every other day left stale.
public enum StaleScope: Sendable, Equatable {
    case all
    case date(LocalDate)
    case day(VesselDay)
    /// Every date up to and including this one (what sealing folds before it seals them).
    case through(LocalDate)
}

/// Vessel-days of open dates whose voyages were stored without folding their reports: an HTTP
/// submission (group commit) or a bulk import of a voyage of an open day marks its day stale
/// instead of folding the day's report again, in the transaction that stores the voyage. The
/// reports are folded when they are read (``PortDailyStore/foldStaleDays(_:rules:now:)``), when
/// their date is sealed, and by the daemon's catch-up (past dates); a day many voyages reach
/// between two reads is folded once.
///
/// A mark is durable with its voyage, so a crash loses no fold. Sealed days are never deferred:
/// late data makes its numbered revision when it is acknowledged.
enum StaleDays {
    /// Days folded per transaction (a few milliseconds of the writer), so that group commits go
    /// in between. Under P2's load with a catch-up every 3 s, ingest's p99 was 35-47 ms at 200
    /// days a transaction and 20-22 ms at 50.
    static let chunk = 50
    /// Days folded per transaction where no submission waits behind the fold (sealing, which a
    /// bulk import into a store never sealed leaves a year of days to): fewer commits.
    static let largeChunk = 1000

    static func mark(_ db: Database, _ day: VesselDay) throws {
        var insert = try DirectStatement(db, sql: "INSERT OR IGNORE INTO staleDay (reportDate, mmsi) VALUES (?, ?)")
        insert.bind(day.date.dayNumber)
        insert.bind(day.mmsi.rawValue)
        try insert.run()
    }

    /// The stale days of the scope after `key`, in date then vessel order (an index range), at
    /// most `limit` of them: a year's import leaves hundreds of thousands, read a page at a time.
    static func page(_ db: Database, _ scope: StaleScope, after key: VesselDay?, limit: Int = chunk) throws -> [VesselDay] {
        var (condition, arguments) = Self.condition(scope)
        if let key {
            condition += " AND (reportDate, mmsi) > (?, ?)"
            arguments += [key.date.dayNumber, key.mmsi.rawValue]
        }
        return try Row.fetchAll(db, sql: """
            SELECT reportDate, mmsi FROM staleDay WHERE \(condition) ORDER BY reportDate, mmsi LIMIT \(limit)
            """, arguments: arguments).map { row in
            let read = StoredRow(row: row, table: "staleDay")
            return VesselDay(mmsi: try read.required("mmsi", MMSI.init), date: LocalDate(dayNumber: try read.requiredInt("reportDate")))
        }
    }

    /// Folds these days' reports and clears their marks, in the caller's transaction. The fold
    /// reads back every stored voyage, so a day marked again since `days` was read is folded
    /// whole too.
    static func fold(_ days: some Collection<VesselDay>, in db: Database, rules: StoreRules, now: Instant) throws
        -> [RevisionWritten] {
        var refold = ReportRefold(db: db, rules: rules, now: now)
        for day in days { refold.mark(day) }
        try refold.run()
        for day in days {
            var delete = try DirectStatement(db, sql: "DELETE FROM staleDay WHERE reportDate = ? AND mmsi = ?")
            delete.bind(day.date.dayNumber)
            delete.bind(day.mmsi.rawValue)
            try delete.run()
        }
        return refold.written
    }

    private static func condition(_ scope: StaleScope) -> (String, StatementArguments) {
        switch scope {
        case .all: ("1", [])
        case .date(let date): ("reportDate = ?", [date.dayNumber])
        case .day(let day): ("reportDate = ? AND mmsi = ?", [day.date.dayNumber, day.mmsi.rawValue])
        case .through(let date): ("reportDate <= ?", [date.dayNumber])
        }
    }
}

extension PortDailyStore {
    /// Folds the reports of the days in `scope` that submissions left stale (see ``StaleDays``),
    /// ``StaleDays/chunk`` days to a transaction, in (date, vessel) order; what it wrote. A day
    /// marked again behind the chunk being folded is left for the next fold. A report read that
    /// must show every acknowledged voyage calls this first. With nothing stale, it only reads.
    @discardableResult
    public func foldStaleDays(_ scope: StaleScope, rules: StoreRules, now: Instant) throws -> [RevisionWritten] {
        var written: [RevisionWritten] = []
        try foldStaleDays(scope, rules: rules, now: now, daysPerTransaction: StaleDays.chunk) { written += $0 }
        return written
    }

    /// The same, `limit` days to a transaction, handing each transaction's revisions to `take`.
    func foldStaleDays(_ scope: StaleScope, rules: StoreRules, now: Instant, daysPerTransaction limit: Int,
                       taking take: ([RevisionWritten]) -> Void) throws {
        var after: VesselDay?
        while try writer.read({ db in try Self.anyStale(db, scope, after: after) }) {
            let page = try writer.write { db in try Self.foldPage(db, scope, after: after, limit: limit, rules: rules, now: now) }
            guard let last = page.last else { return }  // folded meanwhile by another fold
            take(page.written)
            after = last
        }
    }

    /// The same, without holding the caller's thread while it waits for the store.
    @discardableResult
    public func foldStaleDays(_ scope: StaleScope, rules: StoreRules, now: Instant) async throws
        -> [RevisionWritten] {
        var written: [RevisionWritten] = []
        try await foldStaleDays(scope, rules: rules, now: now, inGaps: false) { written += $0 }
        return written
    }

    /// Folds the stale days of past dates in the background (the daemon's catch-up): like
    /// ``foldStaleDays(_:rules:now:)``, but each transaction first waits for a gap in group commit
    /// (at most 100 ms), and only the count of revisions is kept. Today's days are left to the
    /// reads: a day still taking voyages is marked again by the next one, and folding it in the
    /// background under load was mostly work thrown away, which lengthened ingest's p99 (with a
    /// catch-up every 10 s, 60 s being the default: 33-35 ms with the transactions back to back,
    /// 20-22 ms with them waiting for gaps, 17 ms with no catch-up).
    @discardableResult
    public func catchUpStaleDays(rules: StoreRules, now: Instant) async throws -> Int {
        var count = 0
        let yesterday = rules.calendar.localDate(of: now).adding(days: -1)
        try await foldStaleDays(.through(yesterday), rules: rules, now: now, inGaps: true) { count += $0.count }
        return count
    }

    private func foldStaleDays(_ scope: StaleScope, rules: StoreRules, now: Instant, inGaps: Bool,
                               taking take: ([RevisionWritten]) -> Void) async throws {
        var after: VesselDay?
        while try await writer.read({ [after] db in try Self.anyStale(db, scope, after: after) }) {
            if inGaps { await groupCommit.waitForGap(atMost: .milliseconds(100)) }
            let page = try await writer.write { [after] db in
                try Self.foldPage(db, scope, after: after, limit: StaleDays.chunk, rules: rules, now: now)
            }
            guard let last = page.last else { return }  // folded meanwhile by another fold
            take(page.written)
            after = last
        }
    }

    /// Whether a stale day of the scope lies after `key`: the read that lets a fold with nothing
    /// to do end without taking the writer.
    private static func anyStale(_ db: Database, _ scope: StaleScope, after key: VesselDay?) throws -> Bool {
        try !StaleDays.page(db, scope, after: key, limit: 1).isEmpty
    }

    /// Folds the page after `key`, read inside the writing transaction; what it wrote, and the
    /// last day it folded (the next page's cursor). The cursor is the page actually folded: a day
    /// marked between an earlier read and this transaction can push others out of the page, and a
    /// cursor taken from that read would skip them.
    private static func foldPage(_ db: Database, _ scope: StaleScope, after key: VesselDay?, limit: Int, rules: StoreRules,
                                 now: Instant) throws -> (written: [RevisionWritten], last: VesselDay?) {
        let days = try StaleDays.page(db, scope, after: key, limit: limit)
        return (try StaleDays.fold(days, in: db, rules: rules, now: now), days.last)
    }
}
