public import PortDailyCore
import GRDB
import Synchronization

/// The result of loading register entries.
public struct RegisterUpdate: Sendable, Codable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public init() {}
}

extension PortDailyStore {
    /// Every vessel in the register, by MMSI. Served from a snapshot kept while the register's
    /// version (bumped by triggers on any change, from any process) stays the same, so a request
    /// reads one row instead of the whole register. The vessels are read after the version: ones
    /// newer than they are labelled with only make the next request read them again.
    public func register() throws -> [MMSI: Vessel] { try register(at: versions()) }

    /// The register at `versions` read earlier by the same request (no second read of them).
    public func register(at versions: StoreVersions) throws -> [MMSI: Vessel] {
        try registerCache.value(at: versions.register) { try writer.unsafeRead(Self.register) }
    }

    /// How many times the whole register was read into the snapshot since the store was opened.
    public var registerLoads: Int { registerCache.loads }

    static func register(_ db: Database) throws -> [MMSI: Vessel] {
        var result: [MMSI: Vessel] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM vessel")
        while let row = try rows.next() {
            let vessel = try Rows.vessel(row)
            result[vessel.mmsi] = vessel
        }
        return result
    }

    /// The vessels, in MMSI order; only those of one operator when given.
    public func vessels(operator operatorID: String? = nil) throws -> [Vessel] {
        try writer.read { db in
            let rows = if let operatorID {
                try Row.fetchAll(db, sql: "SELECT * FROM vessel WHERE operator = ? ORDER BY mmsi", arguments: [operatorID])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM vessel ORDER BY mmsi")
            }
            return try rows.map { try Rows.vessel($0) }
        }
    }

    /// Inserts or replaces register entries in one transaction. A changed entry's existing
    /// vessel-days are folded again, since admission and identity shape its reports.
    public func upsertVessels(_ vessels: [Vessel], rules: StoreRules, now: Instant,
                              by actor: AuditActor = .unattributed) throws -> RegisterUpdate {
        try writer.write { db in
            var update = RegisterUpdate()
            var changed: [MMSI] = []
            for vessel in vessels {
                let existing = try Row.fetchOne(db, sql: "SELECT * FROM vessel WHERE mmsi = ?", arguments: [vessel.mmsi.rawValue])
                    .map { try Rows.vessel($0) }
                if existing == vessel { update.unchanged += 1; continue }
                try db.execute(sql: """
                    INSERT OR REPLACE INTO vessel
                    (mmsi, imo, name, callSign, type, operator, homeBureau, admittedFrom, admittedUntil, updatedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: Rows.vesselArguments(vessel, now: now))
                if existing == nil { update.inserted += 1 } else { update.updated += 1; changed.append(vessel.mmsi) }
            }
            var refold = ReportRefold(db: db, rules: rules, now: now)
            for mmsi in changed {
                let days = try Int.fetchAll(db, sql: """
                    SELECT reportDate FROM voyage WHERE mmsi = ? UNION SELECT reportDate FROM reportRevision WHERE mmsi = ?
                    """, arguments: [mmsi.rawValue, mmsi.rawValue])
                for day in days { refold.mark(VesselDay(mmsi: mmsi, date: LocalDate(dayNumber: day))) }
            }
            try refold.run()
            if update.inserted + update.updated > 0 {
                try Self.recordAudit(db, actor: actor, action: "vessels.registered",
                                     subject: vessels.count == 1 ? "vessel \(vessels[0].mmsi.rawValue)" : "\(vessels.count) vessels",
                                     detail: "inserted \(update.inserted), updated \(update.updated), unchanged \(update.unchanged)", at: now)
            }
            return update
        }
    }

    /// Removes a vessel from the register. Its voyages and reports are kept.
    @discardableResult
    public func deleteVessel(_ mmsi: MMSI, now: Instant = SystemClock.now, by actor: AuditActor = .unattributed) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM vessel WHERE mmsi = ?", arguments: [mmsi.rawValue])
            guard db.changesCount > 0 else { return false }
            try Self.recordAudit(db, actor: actor, action: "vessel.removed", subject: "vessel \(mmsi.rawValue)", detail: nil, at: now)
            return true
        }
    }
}

/// The last snapshot read of data that carries a version (the register, the tokens), shared by
/// request threads and the writer.
final class VersionedCache<Value: Sendable>: Sendable {
    private let state = Mutex<(version: Int64, value: Value)?>(nil)
    /// Held while the whole data is read, with the number of such reads.
    private let loading = Mutex(0)

    var loads: Int { loading.withLock { $0 } }

    /// The snapshot, when it is of `version`.
    func value(at version: Int64) -> Value? {
        state.withLock { snapshot in snapshot?.version == version ? snapshot?.value : nil }
    }

    /// The data at `version`: the snapshot if it is of that version, else read by `read` unless
    /// another caller read it meanwhile. The requests that all find the snapshot stale at once (a
    /// start, a change) wait for one read instead of each reading everything. `read` must see
    /// data at least as new as `version`.
    func value(at version: Int64, orRead read: () throws -> Value) throws -> Value {
        if let current = value(at: version) { return current }
        return try loading.withLock { loads in
            if let current = value(at: version) { return current }
            let value = try read()
            loads += 1
            state.withLock { $0 = (version, value) }
            return value
        }
    }
}
