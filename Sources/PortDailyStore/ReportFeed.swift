import GRDB
public import PortDailyCore

extension PortDailyStore {
    /// Report revisions written after `since` (a commit-sequence cursor) that the filter admits,
    /// in commit order. A revision 1 replaced in place (open day) comes again with its new content
    /// and a higher sequence; a poller that keeps the last `seq` it saw misses nothing.
    /// The revisions come as stored text (nothing decoded): the feed's pages are written from it.
    public func changes(since: Int64, limit: Int, bureau: String?, operatorID: String?) throws -> [StoredRevisionText] {
        try writer.read { db in
            var conditions = ["r.seq > ?"]
            var arguments: StatementArguments = [since]
            if let bureau {
                conditions.append("EXISTS (SELECT 1 FROM reportShare s WHERE s.revisionId = r.id AND s.bureau = ?)")
                arguments += [bureau]
            }
            if let operatorID { conditions.append("r.operator = ?"); arguments += [operatorID] }
            arguments += [limit]
            let sealedThrough = try Sealing.sealedThrough(db)
            return try Row.fetchAll(db, sql: """
                SELECT \(Self.revisionColumns) FROM reportRevision r WHERE \(conditions.joined(separator: " AND "))
                ORDER BY r.seq LIMIT ?
                """, arguments: arguments).map { try Self.revisionText($0, sealedThrough: sealedThrough) }
        }
    }

    /// The bureaus a revision of a report is shared with.
    public func sharing(reportId: String, revision: Int) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT s.bureau FROM reportShare s JOIN reportRevision r ON r.id = s.revisionId
                WHERE r.reportId = ? AND r.revision = ? ORDER BY s.bureau
                """, arguments: [reportId, revision])
        }
    }

    /// Records that a bureau received or cleared a revision.
    public func acknowledge(reportId: String, revision: Int, bureau: String, remark: String?, now: Instant,
                            by actor: AuditActor = .unattributed) throws {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO acknowledgement (reportId, bureau, revision, remark, recordedAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [reportId, bureau, revision, remark, now.millisecondsSinceEpoch])
            try Self.recordAudit(db, actor: actor, action: "report.acknowledged", subject: "report \(reportId) revision \(revision)",
                                 detail: "bureau \(bureau)" + (remark.map { ": \($0)" } ?? ""), at: now)
        }
    }

    /// Per bureau, its latest acknowledgement of a report.
    public func acknowledgements(reportId: String) throws -> [Acknowledgement] {
        try writer.read { db in try Self.latestAcknowledgements(db, of: [reportId])[reportId] ?? [] }
    }
}

extension PortDailyStore {
    /// The latest reports the filter admits (see ``latestReportTexts(_:for:)``), as the caller
    /// renders them: read and rendered on the reading thread, so a busy server's request threads
    /// only send the result. A rendering read again at the same ``ReportListVersion`` is served
    /// from `cache`: bureaus pull the same day again and again.
    public func latestReports<Rendered: Sendable>(
        _ filter: ReportFilter, for use: ReportTextUse, cachedIn cache: ReportListCache<Rendered>,
        render: @escaping @Sendable ([(StoredRevisionText, [Acknowledgement])]) throws -> Rendered
    ) async throws -> Rendered {
        try await writer.read { db in
            try cache.value(for: filter, at: ReportListVersion.current(db)) {
                try render(Self.latestReportTexts(db, filter, for: use))
            }
        }
    }
}
