import GRDB
public import PortDailyCore

/// The result of one write of voyages: an outcome per record, and the report revisions it made.
public struct IngestResult: Sendable {
    public var outcomes: [RecordOutcome] = []
    public var revisions: [RevisionWritten] = []
}

extension PortDailyStore {
    /// Stores a batch of validated voyages in one transaction: new ones are accepted, a resend with
    /// the same content is a duplicate, with different content a correction (the previous content
    /// kept in the audit trail). The affected vessel-days are folded again before the commit.
    ///
    /// With `allOrNothing`, a record refused here (a resend of a cancelled voyage) rolls the whole
    /// batch back and the outcomes say so.
    ///
    /// `prepared`, when given, holds the batch's days folded ahead (see ``PreparedFold``).
    /// `deferringOpenDays` marks the open days the batch changes stale instead of folding them
    /// (see ``StaleDays``), as group commit does.
    public func ingest(_ batch: [ValidatedVoyage], rules: StoreRules, now: Instant,
                       allOrNothing: Bool = false, prepared: PreparedFold? = nil,
                       deferringOpenDays: Bool = false, by actor: AuditActor = .unattributed) throws -> IngestResult {
        try writer.write { db in
            let auditId = try Self.nextAuditId(db)
            let result = try Self.ingest(db, batch, rules: rules, now: now, allOrNothing: allOrNothing, prepared: prepared,
                                         deferringOpenDays: deferringOpenDays, auditId: auditId)
            try Self.recordSubmission(db, id: auditId, actor: actor, outcomes: result.outcomes, at: now)
            return result
        }
    }

    /// The same write, sharing one transaction and one fsync with the other writes waiting for the
    /// store at the moment (group commit): what many concurrent HTTP submissions use. It returns
    /// only after the shared transaction is durably committed.
    public func ingestInGroup(_ batch: [ValidatedVoyage], rules: StoreRules, now: Instant,
                              allOrNothing: Bool = false, by actor: AuditActor = .unattributed) async throws -> IngestResult {
        try await groupCommit.submit(batch, rules: rules, now: now, allOrNothing: allOrNothing, actor: actor)
    }

    static func ingest(_ db: Database, _ batch: [ValidatedVoyage], rules: StoreRules, now: Instant,
                       allOrNothing: Bool, prepared: PreparedFold? = nil, deferringOpenDays: Bool = false,
                       inWriteOrder: Bool = false, auditId: Int64? = nil) throws -> IngestResult {
        var refold = ReportRefold(db: db, rules: rules, now: now, prepared: prepared, deferringOpenDays: deferringOpenDays)
        var result = IngestResult()
        result.outcomes = try record(db, batch, rules: rules, now: now, allOrNothing: allOrNothing, inWriteOrder: inWriteOrder,
                                     auditId: auditId,
                                     marking: &refold)
        try refold.run()
        result.revisions = refold.written
        return result
    }

    /// Stores the batch's records and marks the days they change in `refold`, without folding
    /// them: the caller runs the fold, once for all it recorded.
    /// `inWriteOrder`: the caller sorted the batch already (the bulk import, on its reading thread).
    static func record(_ db: Database, _ batch: [ValidatedVoyage], rules: StoreRules, now: Instant,
                       allOrNothing: Bool, inWriteOrder: Bool = false, auditId: Int64? = nil,
                       marking refold: inout ReportRefold) throws -> [RecordOutcome] {
        // A long batch is written in index order (see ``WriteOrder``); its outcomes are returned in its own.
        var outcomes: [RecordOutcome]
        if !inWriteOrder, let positions = WriteOrder.positions(batch) {
            let written = try record(db, inOrder: positions.map { batch[$0] }, rules: rules, now: now, auditId: auditId,
                                     marking: &refold)
            var placed = [RecordOutcome?](repeating: nil, count: batch.count)
            for (outcome, position) in zip(written, positions) { placed[position] = outcome }
            outcomes = placed.map { $0! }
        } else {
            outcomes = try record(db, inOrder: batch, rules: rules, now: now, auditId: auditId, marking: &refold)
        }
        if allOrNothing, outcomes.contains(where: { if case .rejected = $0.outcome { true } else { false } }) {
            throw BatchRefused(outcomes: outcomes)
        }
        return outcomes
    }

    private static func record(_ db: Database, inOrder batch: [ValidatedVoyage], rules: StoreRules, now: Instant,
                               auditId: Int64?, marking refold: inout ReportRefold) throws -> [RecordOutcome] {
        var outcomes: [RecordOutcome] = []
        outcomes.reserveCapacity(batch.count)
        var insert = try DirectStatement(db, sql: insertSQL)
        // Prepared for a batch long enough to need them: looking the long statements up in the
        // connection's cache cost a single-voyage submission a tenth of its write.
        var insertRun: DirectStatement?
        var compareRun: DirectStatement?
        var find: DirectStatement?
        var start = batch.startIndex
        // Whether the last run was all new: a resent file goes one by one after its first run.
        var lastRunNew = true
        while start < batch.endIndex {
            let run = batch[start..<min(start + runLength, batch.endIndex)]
            start = run.endIndex
            // New voyages (the common case) go in a run at a time, by one statement; a run with any
            // voyage stored already (a resend, a correction) is undone by SQLite and taken one by one.
            if lastRunNew, run.count == runLength {
                let dates = run.map { rules.calendar.localDate(of: $0.voyage.departedAt) }
                var statement = try insertRun.take() ?? DirectStatement(db, sql: insertRunSQL)
                defer { insertRun = statement }
                if try insertAllIfNew(&statement, run, dates: dates, now: now, auditId: auditId) {
                    for (item, date) in zip(run, dates) {
                        refold.mark(adding: item.voyage, on: date)
                        outcomes.append(RecordOutcome(line: item.line, voyage: item.voyage, outcome: .accepted))
                    }
                    continue
                }
            }
            lastRunNew = true
            // A run of a resend: its records compared with what is stored under their keys by one
            // statement for the run, instead of a lookup each.
            var compared: [Comparison?]?
            if run.count == runLength {
                var statement = try compareRun.take() ?? DirectStatement(db, sql: compareRunSQL)
                defer { compareRun = statement }
                compared = try compare(&statement, run)
            }
            // Looked up before the insert while the records before were stored already (a resend):
            // the insert that fails on the key costs a second seek in the index. A new voyage on
            // its own (an HTTP submission) is inserted first.
            // (A full run was compared above: this says how a shorter one goes, record by record.)
            var lookUpFirst = false
            // The keys this run corrected so far: a record of the run found the same as the stored
            // voyage was compared with it before an earlier record of the run rewrote it, and is
            // looked up again. (Found different, it is read back anyway; found absent, its insert
            // fails on the key if an earlier one inserted it, and it is looked up.)
            var corrected: [VoyageKey] = []
            for (offset, item) in run.enumerated() {
                var lookup: Lookup = compared.map { .compared($0[offset]) } ?? (lookUpFirst ? .lookUpFirst : .insertFirst)
                if case .compared(let comparison?) = lookup, comparison.same, corrected.contains(item.voyage.key) {
                    lookup = .lookUpFirst
                }
                let outcome = try record(db, item, &insert, &find, lookup, rules: rules, now: now, auditId: auditId,
                                         marking: &refold)
                if outcome.outcome == .corrected { corrected.append(item.voyage.key) }
                lookUpFirst = outcome.outcome != .accepted
                lastRunNew = lastRunNew && !lookUpFirst
                outcomes.append(outcome)
            }
        }
        return outcomes
    }

    /// Stores one voyage: a new one is accepted, a resend with the same content is a duplicate,
    /// with different content a correction; a cancelled one stays cancelled.
    private static func record(_ db: Database, _ item: ValidatedVoyage, _ insert: inout DirectStatement,
                               _ find: inout DirectStatement?, _ lookup: Lookup,
                               rules: StoreRules, now: Instant, auditId: Int64?,
                               marking refold: inout ReportRefold) throws -> RecordOutcome {
        let voyage = item.voyage
        let date = rules.calendar.localDate(of: voyage.departedAt)
        let outcome: IngestOutcome
        var found: Found?
        switch lookup {
        case .insertFirst: found = nil
        case .lookUpFirst: found = try Self.find(db, &find, voyage)
        case .compared(let comparison): found = try comparison.flatMap { try Self.found(db, $0) }
        }
        if found == nil, try insertIfNew(db, &insert, voyage, date: date, now: now, auditId: auditId) {
            refold.mark(adding: voyage, on: date)
            outcome = .accepted
        } else {
            if found == nil { found = try Self.find(db, &find, voyage) }
            switch found {
            case nil:
                throw StoreError.voyageNotFound(voyage.key)
            case .same(cancelled: true):
                outcome = .rejected(cancelledIssue(voyage))
            case .same(cancelled: false):
                outcome = .duplicate
            case .other(let stored):
                let previous = stored.voyage
                if stored.cancelled {
                    outcome = .rejected(cancelledIssue(voyage))
                } else if previous == voyage {
                    outcome = .duplicate
                } else {
                    try correct(db, id: stored.id, previous: previous, on: stored.date, with: voyage, date: date, now: now,
                                auditId: auditId)
                    refold.mark(VesselDay(mmsi: previous.mmsi, date: stored.date))
                    refold.mark(VesselDay(mmsi: voyage.mmsi, date: date))
                    outcome = .corrected
                }
            }
        }
        return RecordOutcome(line: item.line, voyage: voyage, outcome: outcome)
    }

    /// Why a resend of a cancelled voyage is refused (built only then: a resend is mostly duplicates).
    private static func cancelledIssue(_ voyage: Voyage) -> FieldIssue {
        FieldIssue(field: "movementId", reason: "voyage \(voyage.movementId) was cancelled; submit it under a new movementId")
    }

    /// Withdraws a voyage: it leaves its report (a new revision if the day is sealed) and the
    /// audit trail keeps it with the reason.
    @discardableResult
    public func cancel(_ key: VoyageKey, reason: String, rules: StoreRules, now: Instant,
                       by actor: AuditActor = .unattributed) throws -> [RevisionWritten] {
        try writer.write { db in
            guard let stored = try Self.storedVoyage(db, key) else { throw StoreError.voyageNotFound(key) }
            if stored.cancelled { throw StoreError.voyageAlreadyCancelled(key) }
            let voyage = stored.voyage
            let auditId = try Self.recordAudit(db, actor: actor, action: "voyage.cancelled",
                                               subject: "\(key.operator)/\(key.movementId)", detail: reason, at: now)
            try db.execute(sql: "UPDATE voyage SET cancelled = 1 WHERE id = ?", arguments: [stored.id])
            try Self.audit(db, key: key, action: "cancelled", previous: voyage, current: nil, reason: reason, now: now,
                           auditId: auditId)
            var refold = ReportRefold(db: db, rules: rules, now: now)
            refold.mark(VesselDay(mmsi: voyage.mmsi, date: stored.date))
            try refold.run()
            return refold.written
        }
    }

    private static let insertSQL = """
        INSERT INTO voyage (\(Rows.voyageColumns), reportDate, recordedAt, auditId)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (operator, movementId) DO NOTHING
        """

    /// Voyages inserted by one statement when none of them is stored yet.
    static let runLength = 64
    private static let insertRunSQL = """
        INSERT INTO voyage (\(Rows.voyageColumns), reportDate, recordedAt, auditId) VALUES
        \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: runLength).joined(separator: ",\n"))
        """

    /// Inserts a run of ``runLength`` voyages by one statement if none of them is stored yet (nor
    /// repeated in the run); whether it did. Otherwise the statement fails on the first that is,
    /// and SQLite undoes what it had inserted.
    private static func insertAllIfNew(_ insert: inout DirectStatement, _ run: ArraySlice<ValidatedVoyage>,
                                       dates: [LocalDate], now: Instant, auditId: Int64?) throws -> Bool {
        for (item, date) in zip(run, dates) { bindNew(item.voyage, date: date, now: now, auditId: auditId, into: &insert) }
        do {
            try insert.run()
            return true
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            return false
        }
    }

    /// Inserts the voyage unless its (operator, movementId) is stored already; whether it did.
    private static func insertIfNew(_ db: Database, _ insert: inout DirectStatement, _ voyage: Voyage, date: LocalDate,
                                    now: Instant, auditId: Int64?) throws -> Bool {
        bindNew(voyage, date: date, now: now, auditId: auditId, into: &insert)
        try insert.run()
        return db.changesCount == 1
    }

    /// Binds one new voyage's row (its columns, its report date, the time it is recorded), as both
    /// inserts list them.
    private static func bindNew(_ voyage: Voyage, date: LocalDate, now: Instant, auditId: Int64?,
                                into insert: inout DirectStatement) {
        Rows.bind(voyage, into: &insert)
        insert.bind(date.dayNumber)
        insert.bind(now.millisecondsSinceEpoch)
        insert.bind(auditId)
    }

    private static func correct(_ db: Database, id: Int64, previous: Voyage, on previousDate: LocalDate, with voyage: Voyage,
                                date: LocalDate, now: Instant, auditId: Int64?) throws {
        // The key (operator, movementId) is the one the voyage was found by, and the vessel and date
        // are set only when they change: SQLite rewrites the entry of every index whose columns an
        // UPDATE sets, changed or not, and a resend with corrections spent most of its time there.
        let moved = previous.mmsi != voyage.mmsi || previousDate != date
        var update = try DirectStatement(db, sql: moved ? correctMovedSQL : correctSQL)
        Rows.bindMovement(voyage, into: &update)
        update.bind(now.millisecondsSinceEpoch)
        if moved {
            update.bind(voyage.mmsi.rawValue)
            update.bind(date.dayNumber)
        }
        update.bind(id)
        try update.run()
        try audit(db, key: voyage.key, action: "corrected", previous: previous, current: voyage, reason: nil, now: now,
                  auditId: auditId)
    }

    private static let correctSQL = """
        UPDATE voyage SET job = ?, departedAt = ?, fromArea = ?, fromBerth = ?, arrivedAt = ?, toArea = ?, toBerth = ?,
        servedShipImo = ?, servedShipName = ?, personsAboard = ?, remarks = ?, recordedAt = ? WHERE id = ?
        """
    private static let correctMovedSQL = """
        UPDATE voyage SET job = ?, departedAt = ?, fromArea = ?, fromBerth = ?, arrivedAt = ?, toArea = ?, toBerth = ?,
        servedShipImo = ?, servedShipName = ?, personsAboard = ?, remarks = ?, recordedAt = ?, mmsi = ?, reportDate = ?
        WHERE id = ?
        """

    private static func audit(_ db: Database, key: VoyageKey, action: String, previous: Voyage, current: Voyage?,
                       reason: String?, now: Instant, auditId: Int64?) throws {
        // Bound directly (see DirectStatement): a resend with corrections writes one per corrected line.
        var insert = try DirectStatement(db, sql: auditSQL)
        insert.bind(key.operator)
        insert.bind(key.movementId)
        insert.bind(action)
        insert.bind(ReportJSON.encode(previous))
        insert.bind(current.map(ReportJSON.encode))
        insert.bind(reason)
        insert.bind(now.millisecondsSinceEpoch)
        insert.bind(auditId)
        try insert.run()
    }

    private static let auditSQL = """
        INSERT INTO voyageAudit (operator, movementId, action, previous, current, reason, recordedAt, auditId)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
}

/// Thrown out of an all-or-nothing write to roll it back; carries what each record would have been.
public struct BatchRefused: Error, Sendable {
    public let outcomes: [RecordOutcome]
}

/// What became of one record of a batch.
public struct RecordOutcome: Sendable {
    public let line: Int
    public let voyage: Voyage
    public let outcome: IngestOutcome
}
