import GRDB
public import PortDailyCore

/// What stored report text is read for: whole JSON documents, or CSV rows.
public enum ReportTextUse: Sendable {
    case documents
    case csvRows
}

/// Which reports a query wants.
public struct ReportFilter: Sendable, Hashable {
    public var date: LocalDate?
    public var bureau: String?
    public var mmsi: MMSI?
    public var operatorID: String?
    public init(date: LocalDate? = nil, bureau: String? = nil, mmsi: MMSI? = nil, operatorID: String? = nil) {
        self.date = date
        self.bureau = bureau
        self.mmsi = mmsi
        self.operatorID = operatorID
    }
}

extension PortDailyStore {
    /// The latest revision of every report matching the filter, by vessel then report id.
    public func latestReports(_ filter: ReportFilter) throws -> [ReportRevision] {
        try writer.read { db in
            let (conditions, arguments) = Self.latestConditions(filter)
            return try revisions(db, sql: """
                SELECT \(Self.revisionColumns) FROM reportRevision r WHERE \(conditions) ORDER BY r.reportDate, r.mmsi, r.reportId
                """,
                                 arguments: arguments)
        }
    }

    /// The same reports as ``latestReports(_:)``, as stored text with each report's latest
    /// acknowledgement per bureau: what a list in JSON serves, without decoding a report. Read
    /// off the caller's thread, in one read transaction.
    ///
    /// For `.csvRows`, a row that keeps its CSV parts is read without its JSON, and no
    /// acknowledgements are read (a CSV row has none).
    public func latestReportTexts(_ filter: ReportFilter, for use: ReportTextUse = .documents) async throws
        -> [(StoredRevisionText, [Acknowledgement])] {
        try await writer.read { db in try Self.latestReportTexts(db, filter, for: use) }
    }

    static func latestReportTexts(_ db: Database, _ filter: ReportFilter, for use: ReportTextUse) throws
        -> [(StoredRevisionText, [Acknowledgement])] {
        let sealedThrough = try Sealing.sealedThrough(db)
        let (conditions, arguments) = latestConditions(filter)
        // Sorted here rather than by SQLite, whose sorter would copy every row's JSON.
        let columns = use == .documents ? revisionColumns : revisionColumnsForCSV
        let rows = try Row.fetchCursor(db, sql: """
            SELECT \(columns), r.mmsi FROM reportRevision r WHERE \(conditions)
            """, arguments: arguments)
        var result: [(order: ListOrder, text: StoredRevisionText)] = []
        while let row = try rows.next() {
            let text = try revisionText(row, sealedThrough: sealedThrough)
            let read = StoredRow(row: row, table: "reportRevision")
            let order = ListOrder(date: Int(try read.int64(at: 1, "reportDate")), mmsi: try read.text(at: revisionColumnCount, "mmsi"),
                                  reportId: text.reportId)
            result.append((order, text))
        }
        result.sort { $0.order < $1.order }
        let acknowledgements = use == .documents ? try latestAcknowledgements(db, of: result.map(\.text.reportId)) : [:]
        return result.map { ($0.text, acknowledgements[$0.text.reportId] ?? []) }
    }

    /// Per report, each bureau's latest acknowledgement, in bureau order: looked up by the ids
    /// (in chunks, each id an index probe) rather than by running the list's query again. Every
    /// chunk has the same number of parameters (the last one padded with an id no report has),
    /// so the statement is prepared once per connection.
    static func latestAcknowledgements(_ db: Database, of reportIds: [String]) throws -> [String: [Acknowledgement]] {
        var latest: [String: [String: (id: Int64, acknowledgement: Acknowledgement)]] = [:]
        let chunk = 250
        let sql = """
            SELECT id, reportId, bureau, revision, remark, recordedAt FROM acknowledgement
            WHERE reportId IN (\(databaseQuestionMarks(count: chunk)))
            """
        for start in stride(from: 0, to: reportIds.count, by: chunk) {
            var query = try DirectStatement(db, sql: sql)
            for index in start..<(start + chunk) { query.bind(index < reportIds.count ? reportIds[index] : "") }
            try query.rows { row in
                let id = try row.requiredInt64(0, table: "acknowledgement")
                let reportId = try row.required(1, table: "acknowledgement", { $0 })
                let table = "acknowledgement"
                let acknowledgement = Acknowledgement(
                    bureau: try row.required(2, table: table, { $0 }), revision: Int(try row.requiredInt64(3, table: table)),
                    remark: row.text(4), recordedAt: Instant(millisecondsSinceEpoch: try row.requiredInt64(5, table: table)))
                if let known = latest[reportId]?[acknowledgement.bureau], known.id > id { return }
                latest[reportId, default: [:]][acknowledgement.bureau] = (id, acknowledgement)
            }
        }
        return latest.mapValues { byBureau in byBureau.values.map(\.acknowledgement).sorted { $0.bureau < $1.bureau } }
    }

    static func latestConditions(_ filter: ReportFilter) -> (String, StatementArguments) {
        var conditions = ["r.revision = (SELECT MAX(revision) FROM reportRevision WHERE reportId = r.reportId)"]
        var arguments: StatementArguments = []
        if let date = filter.date { conditions.append("r.reportDate = ?"); arguments += [date.dayNumber] }
        if let mmsi = filter.mmsi { conditions.append("r.mmsi = ?"); arguments += [mmsi.rawValue] }
        if let op = filter.operatorID { conditions.append("r.operator = ?"); arguments += [op] }
        if let bureau = filter.bureau {
            conditions.append("EXISTS (SELECT 1 FROM reportShare s WHERE s.revisionId = r.id AND s.bureau = ?)")
            arguments += [bureau]
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    /// For a bureau: the reports of `date` once shared with it whose latest revision no longer
    /// is (their voyages left its waters), each as the last revision that was shared with it.
    public func reportsNoLongerShared(date: LocalDate, bureau: String) throws -> [ReportRevision] {
        try writer.read { db in
            try revisions(db, sql: """
                SELECT \(Self.revisionColumns) FROM reportRevision r
                WHERE r.reportDate = ?1
                  AND EXISTS (SELECT 1 FROM reportShare s WHERE s.revisionId = r.id AND s.bureau = ?2)
                  AND r.revision = (SELECT MAX(r2.revision) FROM reportRevision r2
                                    JOIN reportShare s2 ON s2.revisionId = r2.id AND s2.bureau = ?2 WHERE r2.reportId = r.reportId)
                  AND r.revision < (SELECT MAX(revision) FROM reportRevision WHERE reportId = r.reportId)
                ORDER BY r.mmsi, r.reportId
                """, arguments: [date.dayNumber, bureau])
        }
    }

    /// Every revision of one report, oldest first.
    public func revisions(ofReport reportId: String) throws -> [ReportRevision] {
        try writer.read { db in
            try revisions(db, sql: """
                SELECT \(Self.revisionColumns) FROM reportRevision r WHERE r.reportId = ? ORDER BY r.revision
                """, arguments: [reportId])
        }
    }

    func revisions(_ db: Database, sql: String, arguments: StatementArguments) throws -> [ReportRevision] {
        let sealedThrough = try Sealing.sealedThrough(db)
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try Self.revisionText($0, sealedThrough: sealedThrough).decoded() }
    }

    /// The columns ``revisionText(_:sealedThrough:)`` reads, in its order, from `reportRevision r`,
    /// for documents: without the CSV parts, which a document does not use.
    static let revisionColumns = "\(revisionBookkeeping), NULL, NULL, r.content, r.changes"

    /// The columns before the stored texts and the CSV parts.
    private static let revisionBookkeeping = """
        r.reportId, r.reportDate, r.revision, r.late, r.voyageCount, r.recordedAt, r.seq
        """

    static let revisionColumnCount = 11

    /// The order of a report list: by date, vessel, then report id.
    struct ListOrder: Comparable {
        let date: Int
        let mmsi: String
        let reportId: String
        static func < (a: Self, b: Self) -> Bool { (a.date, a.mmsi, a.reportId) < (b.date, b.mmsi, b.reportId) }
    }

    /// The same columns for CSV rows: a row that keeps its CSV parts is read without its JSON.
    static let revisionColumnsForCSV = """
        \(revisionBookkeeping), r.csvHead, r.csvTail,
        CASE WHEN r.csvHead IS NULL OR r.csvTail IS NULL THEN r.content ELSE '' END,
        CASE WHEN r.csvHead IS NULL OR r.csvTail IS NULL THEN r.changes ELSE '' END
        """

    /// A row of ``revisionColumns`` as stored text (read by position: a list reads thousands);
    /// sealed when its date is at or before the watermark.
    static func revisionText(_ row: Row, sealedThrough: LocalDate?) throws -> StoredRevisionText {
        let read = StoredRow(row: row, table: "reportRevision")
        let date = LocalDate(dayNumber: Int(try read.int64(at: 1, "reportDate")))
        return StoredRevisionText(
            reportId: try read.text(at: 0, "reportId"), content: try read.utf8(at: 9, "content"),
            changes: try read.utf8(at: 10, "changes"), revision: Int(try read.int64(at: 2, "revision")),
            sealed: sealedThrough.map { date <= $0 } ?? false, late: try read.int64(at: 3, "late") != 0,
            withdrawn: try read.int64(at: 4, "voyageCount") == 0,
            recordedAt: Instant(millisecondsSinceEpoch: try read.int64(at: 5, "recordedAt")), seq: try read.int64(at: 6, "seq"),
            csv: csvParts(row[7], row[8]))
    }

    /// The stored CSV row parts, when the row has them (written by schema v4 or later).
    static func csvParts(_ head: String?, _ tail: String?) -> ReportCSV.Parts? {
        guard let head, let tail else { return nil }
        return ReportCSV.Parts(head: head, tail: tail)
    }
}
