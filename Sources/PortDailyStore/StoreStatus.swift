import GRDB
public import PortDailyCore

/// What the daemon's `STATUS=` line shows.
public struct StoreStatus: Sendable {
    public let voyagesToday: Int
    public let openDays: Int
    public let sealedThrough: LocalDate?
    public let lastSealRun: Instant?
}

extension PortDailyStore {
    public func statusSnapshot(today: LocalDate) throws -> StoreStatus {
        try writer.read { db in
            let sealed = try Sealing.sealedThrough(db)
            let lastRun = try Int64.fetchOne(db, sql: "SELECT lastRunAt FROM sealState WHERE id = 1")
            let voyages = try Int.fetchOne(db, sql: VoyagesByVessel.select(
                "COUNT(*)", where: "reportDate = ? AND cancelled = 0"), arguments: [today.dayNumber]) ?? 0
            let open = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT reportDate FROM reportRevision WHERE reportDate > ?1
                                      UNION SELECT reportDate FROM staleDay WHERE reportDate > ?1)
                """, arguments: [sealed?.dayNumber ?? Int.min]) ?? 0
            return StoreStatus(voyagesToday: voyages, openDays: open, sealedThrough: sealed,
                               lastSealRun: lastRun.map(Instant.init(millisecondsSinceEpoch:)))
        }
    }
}
