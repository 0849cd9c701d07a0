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
            let text = revisionText(row, sealedThrough: sealedThrough)
            result.append((ListOrder(date: row[1], mmsi: row[revisionColumnCount], reportId: text.reportId), text))
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
                let acknowledgement = try Acknowledgement(row, offset: 2)
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
    static func revisionText(_ row: Row, sealedThrough: LocalDate?) -> StoredRevisionText {
        let date = LocalDate(dayNumber: row[1])
        return StoredRevisionText(
            reportId: row[0], content: utf8(row, 9), changes: utf8(row, 10), revision: row[2],
            sealed: sealedThrough.map { date <= $0 } ?? false, late: row[3], withdrawn: (row[4] as Int) == 0,
            recordedAt: Instant(millisecondsSinceEpoch: row[5]), seq: row[6], csv: csvParts(row[7], row[8]))
    }

    /// A text column's bytes, copied once (no UTF-8 check: the store wrote them).
    static func utf8(_ row: Row, _ index: Int) -> [UInt8] {
        (try? row.withUnsafeData(atIndex: index) { data in data.map { $0.withUnsafeBytes { Array($0) } } ?? [] }) ?? []
    }

    /// The stored CSV row parts, when the row has them (written by schema v4 or later).
    static func csvParts(_ head: String?, _ tail: String?) -> ReportCSV.Parts? {
        guard let head, let tail else { return nil }
        return ReportCSV.Parts(head: head, tail: tail)
    }
}

/// One entry of a voyage's audit trail.
public struct VoyageAuditEntry: Sendable, Codable, Equatable {
    public let action: String
    public let previous: Voyage
    public let current: Voyage?
    public let reason: String?
    public let recordedAt: Instant
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

    /// Corrections and cancellations of one voyage, oldest first.
    public func auditTrail(_ key: VoyageKey) throws -> [VoyageAuditEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM voyageAudit WHERE operator = ? AND movementId = ? ORDER BY id
                """, arguments: [key.operator, key.movementId]).map { row in
                VoyageAuditEntry(action: row["action"], previous: try StoredJSON.decode(Voyage.self, row["previous"]),
                                 current: try (row["current"] as String?).map { try StoredJSON.decode(Voyage.self, $0) },
                                 reason: row["reason"], recordedAt: Instant(millisecondsSinceEpoch: row["recordedAt"]))
            }
        }
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
