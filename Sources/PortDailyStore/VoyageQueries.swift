import GRDB
public import PortDailyCore

/// One entry of a voyage's audit trail.
public struct VoyageAuditEntry: Sendable, Codable, Equatable {
    /// `corrected` or `cancelled`.
    public let action: String
    public let previous: Voyage
    public let current: Voyage?
    public let reason: String?
    public let recordedAt: Instant
    /// Who made the change and from where (nil for changes made before the audit trail named them).
    public var actor: String? = nil
    public var address: String? = nil
}

/// A voyage's history: who first submitted it, then each correction and its cancellation.
public struct VoyageHistory: Sendable, Codable, Equatable {
    /// The submission that stored it (nil for voyages stored before the audit trail).
    public let submitted: AuditEvent?
    public let changes: [VoyageAuditEntry]
}

extension PortDailyStore {
    /// The voyages departing on a local date (cancelled ones included, flagged), by departure.
    public func voyages(on date: LocalDate, operator operatorID: String? = nil) throws -> [(voyage: Voyage, cancelled: Bool)] {
        try writer.read { db in
            let byOperator = operatorID == nil ? "" : " AND operator = ?"
            var query = try DirectStatement(db, sql: VoyagesByVessel.select(
                "cancelled, \(Rows.voyageColumns)", where: "reportDate = ?\(byOperator)")
                + " ORDER BY departedAt, operator, movementId")
            query.bind(date.dayNumber)
            if let operatorID { query.bind(operatorID) }
            var voyages: [(voyage: Voyage, cancelled: Bool)] = []
            try query.rows { row in voyages.append((try Rows.voyage(row, offset: 1), row.int64(0) != 0)) }
            return voyages
        }
    }

    /// Corrections and cancellations of one voyage, oldest first, each with who made it.
    public func auditTrail(_ key: VoyageKey) throws -> [VoyageAuditEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.*, e.actor, e.address FROM voyageAudit a LEFT JOIN auditEvent e ON e.id = a.auditId
                WHERE a.operator = ? AND a.movementId = ? ORDER BY a.id
                """, arguments: [key.operator, key.movementId]).map { row in
                let read = StoredRow(row: row, table: "voyageAudit")
                var entry = VoyageAuditEntry(
                    action: try read.required("action", { $0 }), previous: try ReportJSON.decodeVoyage(read.required("previous", { $0 })),
                    current: try read.optional("current", { $0 }).map { try ReportJSON.decodeVoyage($0) },
                    reason: try read.optional("reason", { $0 }),
                    recordedAt: Instant(millisecondsSinceEpoch: Int64(try read.requiredInt("recordedAt"))))
                entry.actor = row["actor"]
                entry.address = row["address"]
                return entry
            }
        }
    }

    /// Who submitted a voyage, and every change since.
    public func history(_ key: VoyageKey) throws -> VoyageHistory {
        let changes = try auditTrail(key)
        let submitted = try writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT e.* FROM voyage v JOIN auditEvent e ON e.id = v.auditId WHERE v.operator = ? AND v.movementId = ?
                """, arguments: [key.operator, key.movementId]).map(AuditEvent.init(row:))
        }
        return VoyageHistory(submitted: submitted, changes: changes)
    }
}

extension PortDailyStore {
    /// The operators that submitted a voyage with this movement id (usually one).
    public func operators(ofMovement movementId: String) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: VoyagesByVessel.operatorsOfMovement, arguments: [movementId])
        }
    }
}
