import GRDB
public import PortDailyCore

/// A bureau's (or operator's) acknowledgement of a report revision.
public struct Acknowledgement: Sendable, Codable, Equatable {
    public let bureau: String
    public let revision: Int
    public let remark: String?
    public let recordedAt: Instant

    /// From a row whose columns from `offset` on are bureau, revision, remark, recordedAt.
    init(_ row: DirectStatement.ResultRow, offset: Int32) throws {
        bureau = try row.required(offset, table: "acknowledgement", { $0 })
        revision = Int(try row.requiredInt64(offset + 1, table: "acknowledgement"))
        remark = row.text(offset + 2)
        recordedAt = Instant(millisecondsSinceEpoch: try row.requiredInt64(offset + 3, table: "acknowledgement"))
    }

    /// As a JSON object, the members of its `Codable` form.
    public func write(into out: inout JSONWriter) {
        out.beginObject()
        out.field("bureau", bureau)
        out.field("recordedAt", recordedAt)
        out.field("remark", remark)
        out.field("revision", revision)
        out.endObject()
    }
}

extension PortDailyStore {
    /// Report revisions written after `since` (a commit-sequence cursor) that the filter admits,
    /// in commit order. A revision 1 replaced in place (open day) comes again with its new content
    /// and a higher sequence; a poller that keeps the last `seq` it saw misses nothing.
    public func changes(since: Int64, limit: Int, bureau: String?, operatorID: String?) throws -> [ReportRevision] {
        try writer.read { db in
            var conditions = ["r.seq > ?"]
            var arguments: StatementArguments = [since]
            if let bureau {
                conditions.append("EXISTS (SELECT 1 FROM reportShare s WHERE s.revisionId = r.id AND s.bureau = ?)")
                arguments += [bureau]
            }
            if let operatorID { conditions.append("r.operator = ?"); arguments += [operatorID] }
            arguments += [limit]
            return try revisions(db, sql: """
                SELECT \(Self.revisionColumns) FROM reportRevision r WHERE \(conditions.joined(separator: " AND "))
                ORDER BY r.seq LIMIT ?
                """, arguments: arguments)
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
    public func acknowledge(reportId: String, revision: Int, bureau: String, remark: String?, now: Instant) throws {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO acknowledgement (reportId, bureau, revision, remark, recordedAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [reportId, bureau, revision, remark, now.millisecondsSinceEpoch])
        }
    }

    /// Per bureau, its latest acknowledgement of a report.
    public func acknowledgements(reportId: String) throws -> [Acknowledgement] {
        try writer.read { db in try Self.latestAcknowledgements(db, of: [reportId])[reportId] ?? [] }
    }
}

/// A report list as served: the body, and the much smaller text that determines it (for its ETag).
public struct ReportList: Sendable {
    public let body: [UInt8]
    public let identity: [UInt8]
}

extension PortDailyStore {
    /// The latest reports the filter admits as a JSON array of documents (see
    /// ``latestReportTexts(_:for:)``), written on the reading thread: a busy server's request
    /// threads only send it.
    ///
    /// A list read again at the same ``ReportListVersion`` is served from ``ReportListCache``.
    public func latestReportList(_ filter: ReportFilter) async throws -> ReportList {
        try await writer.read { [listCache] db in
            try listCache.value(for: filter, at: ReportListVersion.current(db), size: { $0.body.count + $0.identity.count }) {
                try Self.reportList(db, filter)
            }
        }
    }

    private static func reportList(_ db: Database, _ filter: ReportFilter) throws -> ReportList {
        let items = try Self.latestReportTexts(db, filter, for: .documents)
        var out = JSONWriter(capacity: items.reduce(2) { $0 + $1.0.content.count + $1.0.changes.count + 300 })
        var identity = JSONWriter(capacity: items.count * 24)
        out.beginArray()
        identity.beginArray()
        for (revision, acknowledgements) in items {
            revision.writeDocument(acknowledgements: acknowledgements, into: &out)
            revision.writeIdentity(acknowledgements: acknowledgements, into: &identity)
        }
        out.endArray()
        identity.endArray()
        return ReportList(body: out.bytes, identity: identity.bytes)
    }

    /// The same reports as CSV rows (each CRLF-terminated), written on the reading thread, and
    /// cached the same way.
    public func latestReportRows(_ filter: ReportFilter) async throws -> [String] {
        try await writer.read { [rowsCache] db in
            try rowsCache.value(for: filter, at: ReportListVersion.current(db), size: { $0.reduce(0) { $0 + $1.utf8.count } }) {
                try Self.latestReportTexts(db, filter, for: .csvRows).map { try $0.0.csvRow() }
            }
        }
    }
}

extension StoredRevisionText {
    /// The revision's whole document with its acknowledgements, as a report list in JSON serves it.
    public func writeDocument(acknowledgements: [Acknowledgement], into out: inout JSONWriter) {
        beginDocument(into: &out)
        out.key("acknowledgements")
        out.beginArray()
        for acknowledgement in acknowledgements { acknowledgement.write(into: &out) }
        out.endArray()
        out.endObject()
    }

    /// What determines the revision's document in a list, for its ETag: the sequence number (the
    /// store never writes a row's content again under the same one: a rewrite takes a new
    /// number), whether the day is sealed, and the acknowledgements. Far smaller than the document.
    public func writeIdentity(acknowledgements: [Acknowledgement], into out: inout JSONWriter) {
        out.beginArray()
        out.number(seq)
        out.bool(sealed)
        for acknowledgement in acknowledgements { acknowledgement.write(into: &out) }
        out.endArray()
    }
}
