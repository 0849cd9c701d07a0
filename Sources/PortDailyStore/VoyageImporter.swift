public import PortDailyCore

/// The write path for a stream of voyage records in CSV or NDJSON: read incrementally, validate
/// each record against the register, and store valid ones in batches. A full batch is handed to
/// the import's writing thread (``ImportWriter``) while the next one is read and validated (and,
/// unless the import defers open days, folded ahead: see ``PreparedFold``); the writer stores the
/// batches in input order, several to a transaction (``bulkWrite``), and a failed write stops the
/// import before anything after it is stored. The summary counts a batch once it is committed.
///
/// With `allOrNothing`, every valid record waits for the end of the input and goes in one
/// transaction, and only if no record was refused; otherwise nothing is stored.
public struct VoyageImporter {
    public let store: PortDailyStore
    public let rules: StoreRules
    public let validator: VoyageValidator
    public let batchSize: Int
    public let allOrNothing: Bool
    /// Keep every record's outcome in ``outcomes`` (an HTTP response lists them; a bulk import need not).
    public let collectOutcomes: Bool
    /// Mark the open days the import changes stale instead of folding their reports (see ``StaleDays``).
    public var deferringOpenDays = false
    /// How the batches are written once the input fills one (see ``BulkWritePolicy``).
    public var bulkWrite = BulkWritePolicy()

    private var reader: RecordReader
    private var pending: [ValidatedVoyage] = []
    /// The writing thread, from the first full batch on.
    private var writer: ImportWriter?
    /// Batches that may wait to be written while the next one is read.
    static let writesInFlight = 2
    /// Whether the last batch written stored any new voyage: while batches do, the next one's
    /// days are folded ahead; a resent file (all duplicates) skips that wasted work.
    private var lastWriteAdded = true
    public private(set) var summary = ImportSummary()
    /// The report revisions the import wrote, for logging.
    public private(set) var revisions: [RevisionWritten] = []
    /// The per-record outcomes of the committed batches, for logging.
    public private(set) var outcomes: [RecordOutcome] = []
    /// Valid records not stored because all-or-nothing refused the input.
    public private(set) var refused = 0
    /// Who the audit trail names for what the import stores.
    public var actor: AuditActor = .unattributed

    public init(store: PortDailyStore, rules: StoreRules, validator: VoyageValidator, format: RecordFormat,
                batchSize: Int, allOrNothing: Bool, collectOutcomes: Bool = false) {
        self.store = store
        self.rules = rules
        self.validator = validator
        self.batchSize = max(1, batchSize)
        self.allOrNothing = allOrNothing
        self.collectOutcomes = collectOutcomes
        reader = RecordReader(format: format, allowedFields: Voyage.fieldNameSet, requiredFields: Voyage.requiredFieldNames)
    }

    /// Reads a chunk of the input; stores a batch whenever one is full.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws {
        // Each record is validated as soon as it is read, so the reader's buffers serve the next one.
        withIntake { reader, intake in reader.feed(bytes) { intake.accept($0) } }
        try commitFullBatches()
    }

    /// Takes records already parsed (a JSON document's elements); stores a batch whenever one is full.
    public mutating func add(_ records: [Result<RawRecord, RecordIssue>]) throws {
        withIntake { _, intake in for record in records { intake.accept(record) } }
        try commitFullBatches()
    }

    /// Ends the input and stores what is left; returns the summary.
    public mutating func finish() throws -> ImportSummary {
        closeInput()
        if allOrNothing, mustRefuse {
            refuse(pending.count)
        } else if let writer {
            // The rest goes to the writer as its last batch: it holds the store's writer till the end.
            if !pending.isEmpty { try handOver(pending.count) }
            self.writer = nil
            for result in try writer.finish() { absorb(result) }
            // The bulk import's counts, once they are all known (its voyages name its start).
            try store.recordAudit(actor, action: "voyages.imported", subject: nil, detail: PortDailyStore.countsDetail(summary),
                                  at: validator.now)
        } else {
            do { try commit() } catch let refusal as BatchRefused { absorb(refusal) }
        }
        return sortedSummary()
    }

    /// Ends the input and stores what is left in a transaction shared with the other submissions
    /// waiting for the store (group commit); returns the summary once the commit is durable.
    public mutating func finishInGroup() async throws -> ImportSummary {
        closeInput()
        if let writer {
            self.writer = nil
            for result in try writer.finish() { absorb(result) }
        }
        if allOrNothing, mustRefuse {
            refuse(pending.count)
        } else if !pending.isEmpty {
            do {
                absorb(try await store.ingestInGroup(pending, rules: rules, now: validator.now, allOrNothing: allOrNothing,
                                                  by: actor))
            } catch let refusal as BatchRefused {
                absorb(refusal)
            }
            pending.removeAll()
        }
        return sortedSummary()
    }

    private mutating func closeInput() {
        withIntake { reader, intake in reader.finish { intake.accept($0) } }
        if let headerIssue = reader.headerIssue {
            summary.record(.rejected(FieldIssue(field: headerIssue.field, reason: headerIssue.reason)), line: headerIssue.line)
        }
    }

    /// Runs `body` with the reader and the validation state apart from the importer, so each
    /// record the reader emits can be validated while the reader is at work.
    private mutating func withIntake(_ body: (inout RecordReader, inout Intake) -> Void) {
        // Moved, not copied: the importer's copies are emptied while the intake has them.
        var intake = Intake(validator: validator, pending: pending, summary: summary)
        pending = []
        summary = ImportSummary()
        body(&reader, &intake)
        pending = intake.pending
        summary = intake.summary
    }

    private var mustRefuse: Bool { summary.rejected > 0 || reader.headerIssue != nil }

    private mutating func absorb(_ refusal: BatchRefused) {
        for outcome in refusal.outcomes { if case .rejected = outcome.outcome { summary.record(outcome.outcome, line: outcome.line) } }
        refuse(refusal.outcomes.count(where: { if case .rejected = $0.outcome { false } else { true } }))
    }

    private mutating func sortedSummary() -> ImportSummary {
        summary.rejections.sort { ($0.line, $0.field) < ($1.line, $1.field) }
        // Batches are written in index order (see ``WriteOrder``): the outcomes go back in the input's.
        outcomes.sort { $0.line < $1.line }
        return summary
    }

    private mutating func refuse(_ count: Int) {
        refused += count
        summary.committed = false
        pending.removeAll()
    }

    private mutating func commitFullBatches() throws {
        guard !allOrNothing else { return }
        while pending.count >= window { try handOver(window) }
    }

    /// How many records the next hand-over sorts: `batchSize` at first, so the writer starts
    /// soon, then a quarter more each time one needed sorting, up to ``largestWindow`` batches.
    /// A longer run sorted at once visits each index page fewer times: a month of 10,000 vessels
    /// (1.8 million voyages) in departure order took 27.3 s sorted 5,000 at a time, 14-19 s
    /// growing to 40,000 or 160,000 (bench/RESULTS.md); each window waiting or being written is
    /// held in memory. Doubling each time left the writer idle while the reader read a window
    /// twice the one just written: 3 days of 10,000 vessels took 1.57-1.67 s (medians of 6)
    /// doubling, 1.44 s growing by a quarter (the writer busy from the fourth window on).
    private lazy var window = batchSize
    static let largestWindow = 16

    private mutating func commit() throws {
        guard !pending.isEmpty else { return }
        absorb(try store.ingest(pending, rules: rules, now: validator.now, allOrNothing: allOrNothing,
                                deferringOpenDays: deferringOpenDays, by: actor))
        pending.removeAll(keepingCapacity: true)
    }

    /// Hands the first `count` pending records to the writing thread (started on the first call),
    /// and takes in the outcomes of the batches it has committed since.
    private mutating func handOver(_ count: Int) throws {
        // Sorted here, where the reading thread has time for it: the writing one has none to spare.
        var batch = Array(pending.prefix(count))
        pending.removeFirst(batch.count)
        let inVesselOrder = WriteOrder.inVesselOrder(batch)
        if let positions = WriteOrder.positions(batch, inVesselOrder: inVesselOrder) {
            batch = positions.map { batch[$0] }
            let largest = batchSize > Int.max / Self.largestWindow ? batchSize : batchSize * Self.largestWindow
            window += min(max(1, window / 4), largest - window)
        } else {
            // In order already (a feed grouped by vessel), or too short to sort: a longer window
            // would only hold more in memory.
            window = batchSize
        }
        // The batch's days are folded here, while the batches before it are still being written.
        let prepared = lastWriteAdded && !deferringOpenDays ? try PreparedFold(batch, register: validator.register, rules: rules) : nil
        let writer = writer ?? ImportWriter(store: store, rules: rules, now: validator.now, deferringOpenDays: deferringOpenDays,
                                            policy: bulkWrite, waiting: Self.writesInFlight, actor: actor)
        self.writer = writer
        try writer.write(batch, prepared: prepared, commitAfter: inVesselOrder)
        for result in writer.takeCommitted() { absorb(result) }
    }

    private mutating func absorb(_ result: IngestResult) {
        lastWriteAdded = result.outcomes.contains { $0.outcome == .accepted }
        for outcome in result.outcomes { summary.record(outcome.outcome, line: outcome.line) }
        if collectOutcomes { outcomes += result.outcomes }
        revisions += result.revisions
    }
}

/// What validation of the records read so far has produced: the valid voyages waiting to be
/// stored, and the summary of the refused ones and the warnings.
private struct Intake {
    let validator: VoyageValidator
    var pending: [ValidatedVoyage]
    var summary: ImportSummary

    /// Validates one record: a valid voyage waits in `pending`, a refused one goes in the summary.
    mutating func accept(_ record: Result<RawRecord, RecordIssue>) {
        switch record {
        case .failure(let issue):
            summary.record(.rejected(FieldIssue(field: issue.field, reason: issue.reason)), line: issue.line)
        case .success(let raw):
            do {
                let (voyage, warnings) = try validator.validate(raw.fields)
                summary.warnings += warnings.map { RecordIssue(line: raw.line, $0) }
                pending.append(ValidatedVoyage(line: raw.line, voyage: voyage))
            } catch {
                summary.record(.rejected(error), line: raw.line)
            }
        }
    }
}
