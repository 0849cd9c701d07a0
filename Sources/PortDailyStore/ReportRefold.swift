import GRDB
import PortDailyCore

/// Folds the marked vessel-days again inside the caller's transaction and stores what changed:
/// on an open day, revision 1 is replaced in place; on a sealed day, a new revision is added and
/// every earlier one kept. Reports whose voyages are all gone are kept as empty revisions, so a
/// bureau that pulled one learns it was withdrawn; for the same reason a bureau that a report was
/// once shared with keeps receiving its revisions after it leaves the report's `sharedWith`.
///
/// `deferringOpenDays` (group commit) marks the open days stale instead of folding them (see
/// ``StaleDays``); sealed days are folded at once all the same.
struct ReportRefold {
    let db: Database
    let rules: StoreRules
    let now: Instant
    private(set) var marked = Set<VesselDay>()
    /// The days marked since ``forgetRecentMarks()``: what one of several writes folded together changed.
    private(set) var recentlyMarked = Set<VesselDay>()
    private(set) var written: [RevisionWritten] = []
    /// Per marked day, the voyages this write added to it, while that is all it changed there:
    /// when they are all the day holds, the day is folded from them without reading it back.
    private var added: [VesselDay: [Voyage]] = [:]
    private var vessels: [MMSI: Vessel?] = [:]
    /// The whole register as this transaction sees it, when the caller has it at hand.
    private let register: [MMSI: Vessel]?
    /// Days folded ahead from the voyages being written, used where they turn out to be the day.
    private let prepared: PreparedFold?
    private let deferringOpenDays: Bool
    /// The day ``mark(adding:on:)`` marked last, while deferring.
    private var lastMarked: VesselDay?

    init(db: Database, rules: StoreRules, now: Instant, register: [MMSI: Vessel]? = nil, prepared: PreparedFold? = nil,
         deferringOpenDays: Bool = false) {
        self.db = db
        self.rules = rules
        self.now = now
        self.register = register
        self.prepared = prepared
        self.deferringOpenDays = deferringOpenDays
    }

    /// Marks a day whose voyages changed in some other way than by additions.
    mutating func mark(_ day: VesselDay) {
        marked.insert(day)
        recentlyMarked.insert(day)
        added[day] = nil
    }

    /// Marks the day of a voyage this write inserted.
    mutating func mark(adding voyage: Voyage, on date: LocalDate) {
        let day = VesselDay(mmsi: voyage.mmsi, date: date)
        // A deferring write folds no open day from what it added: it needs only the marks, and a
        // bulk import's records come mostly in runs of one vessel-day.
        if deferringOpenDays {
            if day == lastMarked { return }
            lastMarked = day
            recentlyMarked.insert(day)
            marked.insert(day)
            return
        }
        recentlyMarked.insert(day)
        if marked.insert(day).inserted { added[day] = [voyage] } else { added[day]?.append(voyage) }
    }

    mutating func forgetRecentMarks() {
        recentlyMarked.removeAll(keepingCapacity: true)
        lastMarked = nil
    }

    mutating func run() throws {
        guard !marked.isEmpty else { return }
        let sealedThrough = try Sealing.sealedThrough(db)
        // Read when the first revision is written: a group commit of open days writes none.
        var seq: Int64?
        let fold = rules.fold
        for day in marked.sorted(by: { ($0.date, $0.mmsi) < ($1.date, $1.mmsi) }) {
            let sealed = sealedThrough.map { day.date <= $0 } ?? false
            if deferringOpenDays, !sealed {
                try StaleDays.mark(db, day)
                continue
            }
            let desired = try desiredReports(day, fold: fold)
            let existing = try latestRevisions(day)
            for id in Set(desired.keys).union(existing.keys).sorted() {
                let old = existing[id]
                guard let new = try desired[id] ?? old.map({ try FoldedReport(fold.withdrawn(report(of: $0))) }) else { continue }
                if let old, try unchanged(old, new) { continue }
                let next = try (seq ?? Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), 0) FROM reportRevision")) ?? 0) + 1
                seq = next
                let revision: Int
                if let old, !sealed {
                    revision = old.revision
                    try replace(old, with: new, seq: next)
                } else {
                    revision = (old?.revision ?? 0) + 1
                    let changes = try old.map { ReportJSON.encode(ReportFold.changes(from: try report(of: $0).voyages, to: new.report.voyages)) }
                    try insert(new, revision: revision, late: sealed, changes: changes ?? new.allAdded, seq: next, after: old)
                }
                written.append(RevisionWritten(reportId: id, mmsi: day.mmsi, date: day.date, revision: revision, late: sealed))
            }
        }
        marked.removeAll()
        added.removeAll()
        lastMarked = nil
    }

    /// The day's reports as the fold makes them now. A day that holds exactly the voyages this
    /// write added (no others, cancelled ones included) is folded from them, or taken as prepared
    /// when it was prepared from the same voyages and the same register entry; any other day is
    /// read back. A day given one voyage, and none folded ahead, is read back without counting
    /// first: such a day (a voyage sent on its own) mostly holds others already, and reading one
    /// voyage back costs about what counting it would.
    private mutating func desiredReports(_ day: VesselDay, fold: ReportFold) throws -> [String: FoldedReport] {
        guard let vessel = try vessel(day.mmsi) else { return [:] }
        let voyages: [Voyage]
        if let added = added[day], prepared != nil || added.count > 1, try storedCount(day) == added.count {
            if let ready = prepared?.days[day], ready.voyageCount == added.count, ready.vessel == vessel { return ready.reports }
            voyages = added
        } else {
            voyages = try storedVoyages(day)
        }
        return try FoldedReport.byID(fold.reports(vessel: vessel, date: day.date, voyages: voyages))
    }

    /// How many voyages the day holds, cancelled ones included (an index-only count).
    private func storedCount(_ day: VesselDay) throws -> Int {
        var query = try DirectStatement(db, sql: "SELECT COUNT(*) FROM voyage WHERE mmsi = ? AND reportDate = ?")
        query.bind(day.mmsi.rawValue)
        query.bind(day.date.dayNumber)
        var count = 0
        try query.rows { count = Int($0.int64(0) ?? 0) }
        return count
    }

    /// The day's voyages that count (not cancelled), read back.
    private func storedVoyages(_ day: VesselDay) throws -> [Voyage] {
        var query = try DirectStatement(db, sql: Self.dayVoyagesSQL)
        query.bind(day.mmsi.rawValue)
        query.bind(day.date.dayNumber)
        var voyages: [Voyage] = []
        try query.rows { voyages.append(try Rows.voyage($0)) }
        return voyages
    }

    /// Built once: statements are looked up by their text, and interpolating it cost an allocation per day.
    private static let dayVoyagesSQL = """
        SELECT \(Rows.voyageColumns) FROM voyage WHERE mmsi = ? AND reportDate = ? AND cancelled = 0
        """

    /// A register entry, read once per run.
    private mutating func vessel(_ mmsi: MMSI) throws -> Vessel? {
        if let register { return register[mmsi] }
        if let known = vessels[mmsi] { return known }
        let vessel = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM vessel WHERE mmsi = ?"), arguments: [mmsi.rawValue])
            .map { try Rows.vessel($0) }
        vessels[mmsi] = vessel
        return vessel
    }

    /// The latest revision of a report, without its texts: most refolds only replace it.
    struct StoredRevision {
        let rowID: Int64
        let revision: Int
        let voyageCount: Int
    }

    private func latestRevisions(_ day: VesselDay) throws -> [String: StoredRevision] {
        var query = try DirectStatement(db, sql: """
            SELECT r.id, r.reportId, r.revision, r.voyageCount FROM reportRevision r
            WHERE r.mmsi = ? AND r.reportDate = ?
              AND r.revision = (SELECT MAX(revision) FROM reportRevision WHERE reportId = r.reportId)
            """)
        query.bind(day.mmsi.rawValue)
        query.bind(day.date.dayNumber)
        var result: [String: StoredRevision] = [:]
        try query.rows { row in
            let table = "reportRevision"
            result[try row.required(1, table: table, { $0 })] = StoredRevision(
                rowID: try row.requiredInt64(0, table: table), revision: Int(try row.requiredInt64(2, table: table)),
                voyageCount: Int(try row.requiredInt64(3, table: table)))
        }
        return result
    }

    /// Whether the fold made what is stored. The stored JSON is read only when the voyage counts
    /// agree: the report lists its voyages, so different counts are different reports.
    private func unchanged(_ old: StoredRevision, _ new: FoldedReport) throws -> Bool {
        guard old.voyageCount == new.report.voyages.count else { return false }
        return try content(of: old).utf8.elementsEqual(new.content)
    }

    private func report(of revision: StoredRevision) throws -> Report {
        try ReportJSON.decodeReport(content(of: revision))
    }

    private func content(of revision: StoredRevision) throws -> String {
        var query = try DirectStatement(db, sql: "SELECT content FROM reportRevision WHERE id = ?")
        query.bind(revision.rowID)
        var content: String?
        try query.rows { content = try $0.required(0, table: "reportRevision", { $0 }) }
        guard let content else { throw StoreError.unreadableRow(table: "reportRevision", column: "content", value: nil) }
        return content
    }

    private func replace(_ old: StoredRevision, with new: FoldedReport, seq: Int64) throws {
        let report = new.report
        var update = try DirectStatement(db, sql: """
            UPDATE reportRevision SET content = ?, changes = ?, voyageCount = ?, recordedAt = ?, seq = ?, csvHead = ?,
            csvTail = ? WHERE id = ?
            """)
        update.bind(utf8: new.content)
        update.bind(new.allAdded)
        update.bind(report.voyages.count)
        update.bind(now.millisecondsSinceEpoch)
        update.bind(seq)
        update.bind(new.csv.head)
        update.bind(new.csv.tail)
        update.bind(old.rowID)
        try update.run()
        // The row keeps its shares (see the type's comment) and gains any new bureau.
        let shared = try shares(of: old.rowID)
        try share(old.rowID, with: report.sharedWith.filter { !shared.contains($0) })
    }

    /// The bureaus a stored revision is shared with.
    private func shares(of rowID: Int64) throws -> Set<String> {
        var query = try DirectStatement(db, sql: "SELECT bureau FROM reportShare WHERE revisionId = ?")
        query.bind(rowID)
        var bureaus = Set<String>()
        try query.rows { row in if let bureau = row.text(0) { bureaus.insert(bureau) } }
        return bureaus
    }

    /// Adds a revision, shared with its `sharedWith` and every bureau the revision `after` was shared with.
    private func insert(_ new: FoldedReport, revision: Int, late: Bool, changes: String, seq: Int64, after old: StoredRevision?) throws {
        let report = new.report
        var insert = try DirectStatement(db, sql: """
            INSERT INTO reportRevision (reportId, kind, mmsi, operator, reportDate, revision, late, voyageCount,
            content, changes, recordedAt, seq, csvHead, csvTail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for text in [report.reportId, report.kind.rawValue, report.mmsi.rawValue, report.operator] { insert.bind(text) }
        insert.bind(report.date.dayNumber)
        insert.bind(revision)
        insert.bind(late)
        insert.bind(report.voyages.count)
        insert.bind(utf8: new.content)
        insert.bind(changes)
        insert.bind(now.millisecondsSinceEpoch)
        insert.bind(seq)
        insert.bind(new.csv.head)
        insert.bind(new.csv.tail)
        try insert.run()
        let rowID = db.lastInsertedRowID
        let earlier = try old.map { try shares(of: $0.rowID) } ?? []
        try share(rowID, with: earlier.union(report.sharedWith).sorted())
    }

    private func share(_ rowID: Int64, with bureaus: [String]) throws {
        for bureau in bureaus {
            var insert = try DirectStatement(db, sql: "INSERT INTO reportShare (revisionId, bureau) VALUES (?, ?)")
            insert.bind(rowID)
            insert.bind(bureau)
            try insert.run()
        }
    }
}
