import GRDB
public import PortDailyAIS
public import PortDailyCore

/// AIS positions of the register's vessels: stored as received (thinned), read as a vessel's
/// track over a time range, pruned after the retention.
extension PortDailyStore {
    /// Stores positions in one transaction; a vessel's position at a millisecond already stored
    /// is ignored. Returns how many were new.
    @discardableResult
    public func insertPositions(_ positions: [(mmsi: Int, point: TrackPoint)]) throws -> Int {
        guard !positions.isEmpty else { return 0 }
        return try writer.write { db in
            var insert = try DirectStatement(db, sql: "INSERT OR IGNORE INTO aisPosition (mmsi, at, lat, lon, sog) VALUES (?, ?, ?, ?, ?)")
            var stored = 0
            for (mmsi, point) in positions {
                insert.bind(mmsi)
                insert.bind(point.at.millisecondsSinceEpoch)
                insert.bind(Int((point.position.lat * 600_000).rounded()))
                insert.bind(Int((point.position.lon * 600_000).rounded()))
                insert.bind(point.sog.map { Int(($0 * 10).rounded()) })
                try insert.run()
                stored += db.changesCount
            }
            return stored
        }
    }

    /// Each vessel's positions from `start` to `end` (inclusive), in time order; vessels
    /// without positions are left out. One read transaction, one range of the key a vessel.
    public func tracks(of mmsis: [Int], from start: Instant, to end: Instant) throws -> [Int: [TrackPoint]] {
        try writer.read { db in
            var tracks: [Int: [TrackPoint]] = [:]
            for mmsi in mmsis {
                let points = try Self.track(db, mmsi: mmsi, from: start, to: end)
                if !points.isEmpty { tracks[mmsi] = points }
            }
            return tracks
        }
    }

    /// One vessel's positions in a time range: one range of the key.
    static func track(_ db: Database, mmsi: Int, from start: Instant, to end: Instant) throws -> [TrackPoint] {
        var query = try DirectStatement(db, sql: "SELECT at, lat, lon, sog FROM aisPosition WHERE mmsi = ? AND at BETWEEN ? AND ? ORDER BY at")
        query.bind(mmsi)
        query.bind(start.millisecondsSinceEpoch)
        query.bind(end.millisecondsSinceEpoch)
        var points: [TrackPoint] = []
        try query.rows { row in
            // at, lat and lon are NOT NULL.
            points.append(TrackPoint(at: Instant(millisecondsSinceEpoch: row.int64(notNull: 0)),
                                     position: GeoPoint(lon: Double(row.int64(notNull: 2)) / 600_000, lat: Double(row.int64(notNull: 1)) / 600_000),
                                     sog: row.int64(3).map { Double($0) / 10 }))
        }
        return points
    }

    /// Deletes positions received before `cutoff` (the retention); returns how many.
    @discardableResult
    public func prunePositions(before cutoff: Instant) throws -> Int {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM aisPosition WHERE at < ?", arguments: [cutoff.millisecondsSinceEpoch])
            return db.changesCount
        }
    }

    /// Whether any position is stored (a deployment without AIS skips the check's reads).
    public func hasPositions() throws -> Bool {
        try writer.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM aisPosition)") ?? false }
    }

    public func positionCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM aisPosition") ?? 0 }
    }

    /// The AIS cross-check of a local day: every registered vessel with reported voyages or
    /// positions that day (or only `vessel`), by MMSI.
    public func aisCheck(date: LocalDate, vessel: MMSI? = nil, setup: PortSetup, calendar: ReportCalendar,
                         settings: CrossCheckSettings) throws -> [VesselDayCheck] {
        let register = try register()
        let dayStart = calendar.startOfDay(date), dayEnd = calendar.startOfDay(date.adding(days: 1))
        // The track a little beyond the day: a movement across midnight is seen whole.
        let margin = settings.coverageGapMilliseconds + settings.toleranceMilliseconds
        var voyagesByVessel: [MMSI: [Voyage]] = [:]
        for (voyage, cancelled) in try voyages(on: date) where !cancelled && (vessel == nil || voyage.mmsi == vessel) {
            voyagesByVessel[voyage.mmsi, default: []].append(voyage)
        }
        let vessels = register.keys.filter { vessel == nil || $0 == vessel }.sorted()
        // One vessel's track in memory at a time (a national day is millions of positions), all
        // read in one transaction.
        return try writer.read { db in
            var checks: [VesselDayCheck] = []
            for mmsi in vessels {
                let points = try Int(mmsi.rawValue).map {
                    try Self.track(db, mmsi: $0, from: dayStart.adding(milliseconds: -margin), to: dayEnd.adding(milliseconds: margin))
                } ?? []
                let voyages = voyagesByVessel[mmsi] ?? []
                guard !voyages.isEmpty || !points.isEmpty else { continue }
                let track = Track(points: points, setup: setup, settings: settings)
                var check = CrossCheck.check(date: date, mmsi: mmsi, voyages: voyages, track: track, setup: setup,
                                             calendar: calendar, settings: settings)
                // Positions only in the margins (the evening before, the morning after): not this day's.
                guard !voyages.isEmpty || check.positions > 0 else { continue }
                if let vessel = register[mmsi] {
                    check.operator = vessel.operator
                    // The home bureau, where the daily report is filed (even one not filed yet), and the
                    // bureaus its reports of the day are shared with.
                    check.sharedWith = Set(ReportFold(setup: setup).reports(vessel: vessel, date: date, voyages: voyages)
                        .flatMap(\.sharedWith)).union([vessel.homeBureau]).sorted()
                }
                checks.append(check)
            }
            return checks
        }
    }
}
