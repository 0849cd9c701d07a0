import GRDB
public import PortDailyCore

/// One write in the audit trail: who (an API token, a signed-in person, the command line), from
/// where, what, to what.
public struct AuditEvent: Sendable, Codable, Equatable {
    public let id: Int64
    public let at: Instant
    /// `token ID (NAME)`, `user NAME` or `cli USER` (``AuditActor``).
    public let actor: String
    /// The client's address; none for the command line.
    public let address: String?
    /// `voyages.submitted`, `voyages.import.started` and `voyages.imported` (a bulk import's start,
    /// which its voyages name, and its counts), `voyage.cancelled`, `vessels.registered`, `vessel.removed`,
    /// `report.acknowledged`, `token.issued`, `token.rotated`, `token.revoked`, `user.added`,
    /// `user.disabled`, `user.passwordSet`.
    public let action: String
    public let subject: String?
    public let detail: String?
}

extension AuditEvent {
    init(row: Row) {
        self.init(id: row["id"], at: Instant(millisecondsSinceEpoch: row["at"]), actor: row["actor"], address: row["address"],
                  action: row["action"], subject: row["subject"], detail: row["detail"])
    }
}

/// The audit trail: one event per write, in the write's own transaction (so an event exists
/// exactly when its write does). Append-only: triggers refuse any change to an event (v12), and
/// nothing in the store offers one.
extension PortDailyStore {
    /// The id the next event will take: a submission's voyages name it before the event, whose
    /// counts are known only after them, is written. (Writes are serialised on one connection.)
    /// (Both statements stay prepared on the connection: each live submission makes an event, and
    /// preparing them anew took a share of group commit's writing thread, P2's bottleneck.)
    static func nextAuditId(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) + 1 FROM auditEvent")) ?? 1
    }

    @discardableResult
    static func recordAudit(_ db: Database, id: Int64? = nil, actor: AuditActor, action: String, subject: String?,
                            detail: String?, at: Instant) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO auditEvent (id, at, actor, address, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, at.millisecondsSinceEpoch, actor.name, actor.address, action, subject, detail])
        return db.lastInsertedRowID
    }

    /// A submission's event: its operator and what became of its records.
    static func recordSubmission(_ db: Database, id: Int64, actor: AuditActor, outcomes: [RecordOutcome],
                                 action: String = "voyages.submitted", at: Instant) throws {
        var counts = ImportSummary()
        for outcome in outcomes {
            switch outcome.outcome {
            case .accepted: counts.accepted += 1
            case .duplicate: counts.duplicates += 1
            case .corrected: counts.corrected += 1
            case .rejected: counts.rejected += 1
            }
        }
        let operators = Set(outcomes.map(\.voyage.operator)).sorted()
        try recordAudit(db, id: id, actor: actor, action: action,
                        subject: operators.isEmpty ? nil : "operator " + operators.joined(separator: ", "),
                        detail: countsDetail(counts), at: at)
    }

    /// What a submission or an import did, as its event's detail says it.
    static func countsDetail(_ counts: ImportSummary) -> String {
        "accepted \(counts.accepted), duplicates \(counts.duplicates), corrected \(counts.corrected), rejected \(counts.rejected)"
    }

    /// Records a write that is not one of the store's own (a token or user change made elsewhere
    /// in the store is recorded by that write itself).
    public func recordAudit(_ actor: AuditActor, action: String, subject: String?, detail: String?, at: Instant) throws {
        try writer.write { db in _ = try Self.recordAudit(db, actor: actor, action: action, subject: subject, detail: detail, at: at) }
    }

    /// The events from `from` up to (not including) `to`, oldest first, optionally of one actor
    /// (its `actor` text exactly, or a prefix ending in a space: `token 7 ` or `user `), at most
    /// `limit` of them after event `after`.
    public func auditEvents(from: Instant, to: Instant, actor: String? = nil, after: Int64 = 0,
                            limit: Int = 1000) throws -> [AuditEvent] {
        try writer.read { db in
            var sql = "SELECT * FROM auditEvent WHERE at >= ? AND at < ? AND id > ?"
            var arguments: StatementArguments = [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch, after]
            if let actor {
                sql += " AND (actor = ? OR actor = ? OR substr(actor, 1, length(?)) = ?)"
                let prefix = actor + " ("
                arguments += [actor, actor, prefix, prefix]
            }
            sql += " ORDER BY id LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(AuditEvent.init(row:))
        }
    }

    /// Who made the changes of each revision (by revision number, names sorted): for each change,
    /// the correction or cancellation of its voyage recorded since the revision before, else the
    /// submission that stored the voyage. Changes written before the audit trail name nobody.
    public func changedBy(_ revisions: [ReportRevision]) throws -> [Int: [String]] {
        try writer.read { db in
            var result: [Int: [String]] = [:]
            var since = Int64.min
            for revision in revisions.sorted(by: { $0.revision < $1.revision }) {
                let until = revision.recordedAt.millisecondsSinceEpoch
                var actors = Set<String>()
                for change in revision.changes {
                    let changed = try String.fetchOne(db, sql: """
                        SELECT e.actor FROM voyageAudit a JOIN auditEvent e ON e.id = a.auditId
                        WHERE a.operator = ? AND a.movementId = ? AND a.recordedAt > ? AND a.recordedAt <= ?
                        ORDER BY a.id DESC LIMIT 1
                        """, arguments: [change.operator, change.movementId, since, until])
                    let submitted = changed == nil ? try String.fetchOne(db, sql: """
                        SELECT e.actor FROM voyage v JOIN auditEvent e ON e.id = v.auditId WHERE v.operator = ? AND v.movementId = ?
                        """, arguments: [change.operator, change.movementId]) : nil
                    if let actor = changed ?? submitted { actors.insert(actor) }
                }
                result[revision.revision] = actors.sorted()
                since = until
            }
            return result
        }
    }
}

