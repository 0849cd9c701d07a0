import GRDB
public import PortDailyCore

/// What the daemon's `STATUS=` line shows.
public struct StoreStatus: Sendable {
    /// Nil when not counted (see ``PortDailyStore/statusSnapshot(today:)``).
    public let voyagesToday: Int?
    public let openDays: Int
    public let sealedThrough: LocalDate?
    public let lastSealRun: Instant?
}

extension PortDailyStore {
    /// The status, with the voyages of `today` counted unless it is nil: the count walks every
    /// vessel that has voyages (``VoyagesByVessel``), one seek each, which on a store of 10^7
    /// voyages of 10,000 vessels read 9,554 pages (1.2 s with the file out of memory) while the
    /// rest of the status reads a handful.
    public func statusSnapshot(today: LocalDate?) throws -> StoreStatus {
        try writer.read { db in
            let sealed = try Sealing.sealedThrough(db)
            let lastRun = try Int64.fetchOne(db, sql: "SELECT lastRunAt FROM sealState WHERE id = 1")
            let voyages = try today.map { today in
                try Int.fetchOne(db, sql: VoyagesByVessel.select(
                    "COUNT(*)", where: "reportDate = ? AND cancelled = 0"), arguments: [today.dayNumber]) ?? 0
            }
            let open = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT reportDate FROM reportRevision WHERE reportDate > ?1
                                      UNION SELECT reportDate FROM staleDay WHERE reportDate > ?1)
                """, arguments: [sealed?.dayNumber ?? Int.min]) ?? 0
            return StoreStatus(voyagesToday: voyages, openDays: open, sealedThrough: sealed,
                               lastSealRun: lastRun.map(Instant.init(millisecondsSinceEpoch:)))
        }
    }
}
