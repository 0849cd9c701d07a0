import Logging
import Metrics
import PortDailyCore
import PortDailyLogging
import PortDailyStore

/// The journal entries and metrics of a submission: the batch, its rejections, and every
/// report revision it made (late ones at notice level), each with the fields admins filter on.
/// The batch, rejection and correction entries are each held to a budget a second
/// (``IngestLogBudgets``); the metrics count every submission.
struct IngestLog {
    let logger: Logger
    let counters: IngestCounters
    let budgets: IngestLogBudgets

    /// `actor`: who submitted, as the scope names it (the operator's id, else the role).
    func record(_ summary: ImportSummary, importer: VoyageImporter, actor operatorID: String) {
        for (counter, count) in [(counters.accepted, summary.accepted), (counters.duplicate, summary.duplicates),
                                 (counters.corrected, summary.corrected), (counters.rejected, summary.rejected)] where count > 0 {
            counter.increment(by: count)
        }
        let tally = IngestTally(summary)
        if summary.committed, summary.accepted + summary.corrected + summary.duplicates > 0,
           case .write(let unlogged) = budgets.batches.admit(tally, at: budgets.now()) {
            logBatch(summary, operatorID: operatorID, unlogged: unlogged)
        }
        if summary.rejected > 0, case .write(let unlogged) = budgets.rejections.admit(tally, at: budgets.now()) {
            logRejections(summary, operatorID: operatorID, unlogged: unlogged)
        }
        for outcome in importer.outcomes where outcome.outcome == .corrected {
            guard case .write(let unlogged) = budgets.corrections.admit(IngestTally(corrected: 1), at: budgets.now()) else { continue }
            var fields: Logger.Metadata = [
                LogField.operatorID: "\(outcome.voyage.operator)", LogField.movementID: "\(outcome.voyage.movementId)",
                LogField.vesselMMSI: "\(outcome.voyage.mmsi)",
            ]
            if let unlogged { fields["UNLOGGED_CORRECTIONS"] = "\(unlogged.entries)" }
            logger.info("voyage corrected\(Self.note(unlogged))", metadata: fields)
        }
        revised(importer.revisions, operatorID: operatorID)
    }

    private func logBatch(_ summary: ImportSummary, operatorID: String, unlogged: EntryBudget<IngestTally>.Unlogged?) {
        var fields: Logger.Metadata = [
            LogField.operatorID: "\(operatorID)", "ACCEPTED": "\(summary.accepted)",
            "DUPLICATES": "\(summary.duplicates)", "CORRECTED": "\(summary.corrected)", "REJECTED": "\(summary.rejected)",
        ]
        if let unlogged {
            fields["UNLOGGED_BATCHES"] = "\(unlogged.entries)"
            fields["UNLOGGED_ACCEPTED"] = "\(unlogged.tally.accepted)"
            fields["UNLOGGED_DUPLICATES"] = "\(unlogged.tally.duplicates)"
            fields["UNLOGGED_CORRECTED"] = "\(unlogged.tally.corrected)"
            fields["UNLOGGED_REJECTED"] = "\(unlogged.tally.rejected)"
        }
        logger.event(.batchAccepted, "voyage batch stored\(Self.note(unlogged))", metadata: fields)
    }

    private func logRejections(_ summary: ImportSummary, operatorID: String, unlogged: EntryBudget<IngestTally>.Unlogged?) {
        let first = summary.rejections.first
        var fields: Logger.Metadata = [
            LogField.operatorID: "\(operatorID)", "REJECTED": "\(summary.rejected)",
            "FIRST_LINE": "\(first?.line ?? 0)", "FIRST_FIELD": "\(first?.field ?? "")",
            "FIRST_REASON": "\(first?.reason ?? "")", "COMMITTED": "\(summary.committed)",
        ]
        if let unlogged {
            fields["UNLOGGED_BATCHES"] = "\(unlogged.entries)"
            fields["UNLOGGED_REJECTED"] = "\(unlogged.tally.rejected)"
        }
        logger.event(.recordsRejected, level: .warning, "records rejected\(Self.note(unlogged))", metadata: fields)
    }

    private static func note(_ unlogged: EntryBudget<IngestTally>.Unlogged?) -> String {
        guard let unlogged else { return "" }
        return " (\(unlogged.entries) more since the previous entry, left out to keep within"
            + " \(IngestLogBudgets.entriesPerSecond) entries a second)"
    }

    func revised(_ revisions: [RevisionWritten], operatorID: String) {
        for revision in revisions {
            // The fields are built only for a message the level lets through (most are debug).
            if revision.late {
                logger.event(.reportRevisedLate, level: .notice, "report revised after sealing",
                             metadata: Self.fields(of: revision, operatorID: operatorID))
            } else {
                logger.debug("report updated", metadata: Self.fields(of: revision, operatorID: operatorID))
            }
        }
    }

    private static func fields(of revision: RevisionWritten, operatorID: String) -> Logger.Metadata {
        [
            LogField.vesselMMSI: "\(revision.mmsi)", LogField.reportDate: "\(revision.date)",
            LogField.revision: "\(revision.revision)", LogField.operatorID: "\(operatorID)", "REPORT_ID": "\(revision.reportId)",
        ]
    }
}

/// The journal budgets of the submission entries, shared by every request: a few dozen entries a
/// second at most, whatever the load (see ``EntryBudget``).
final class IngestLogBudgets: Sendable {
    static let entriesPerSecond = 20
    /// The monotonic time the budgets' seconds are counted in (a test steps its own).
    let now: @Sendable () -> ContinuousClock.Instant

    init(now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) { self.now = now }

    let batches = EntryBudget<IngestTally>(perSecond: entriesPerSecond)
    let rejections = EntryBudget<IngestTally>(perSecond: entriesPerSecond)
    /// One entry a corrected voyage: a resent file of corrections would be thousands at once.
    let corrections = EntryBudget<IngestTally>(perSecond: entriesPerSecond)
}

/// The record counts of submissions, added up for the entries a budget left out.
struct IngestTally: AdditiveArithmetic, Sendable {
    var accepted = 0, duplicates = 0, corrected = 0, rejected = 0

    static let zero = IngestTally()

    init(corrected: Int = 0) { self.corrected = corrected }

    init(_ summary: ImportSummary) {
        (accepted, duplicates, corrected, rejected) = (summary.accepted, summary.duplicates, summary.corrected, summary.rejected)
    }

    static func + (lhs: Self, rhs: Self) -> Self {
        var sum = lhs
        (sum.accepted, sum.duplicates) = (lhs.accepted + rhs.accepted, lhs.duplicates + rhs.duplicates)
        (sum.corrected, sum.rejected) = (lhs.corrected + rhs.corrected, lhs.rejected + rhs.rejected)
        return sum
    }

    static func - (lhs: Self, rhs: Self) -> Self {
        var difference = lhs
        (difference.accepted, difference.duplicates) = (lhs.accepted - rhs.accepted, lhs.duplicates - rhs.duplicates)
        (difference.corrected, difference.rejected) = (lhs.corrected - rhs.corrected, lhs.rejected - rhs.rejected)
        return difference
    }
}

/// `portdaily_ingest_records_total` by result, made once (after the metrics backend is set up)
/// rather than looked up in the registry on every submission.
struct IngestCounters: Sendable {
    let accepted = Counter(label: MetricName.ingestRecords, dimensions: [("result", "accepted")])
    let duplicate = Counter(label: MetricName.ingestRecords, dimensions: [("result", "duplicate")])
    let corrected = Counter(label: MetricName.ingestRecords, dimensions: [("result", "corrected")])
    let rejected = Counter(label: MetricName.ingestRecords, dimensions: [("result", "rejected")])
}
