import Logging
import Metrics
import PortDailyCore
import PortDailyLogging
import PortDailyStore

/// The journal entries and metrics of a submission: the batch, its rejections, and every
/// report revision it made (late ones at notice level), each with the fields admins filter on.
struct IngestLog {
    let logger: Logger
    let counters: IngestCounters

    func record(_ summary: ImportSummary, importer: VoyageImporter, caller: Caller) {
        let operatorID: String = if case .operator(let id) = caller { id } else { caller.role }
        for (counter, count) in [(counters.accepted, summary.accepted), (counters.duplicate, summary.duplicates),
                                 (counters.corrected, summary.corrected), (counters.rejected, summary.rejected)] where count > 0 {
            counter.increment(by: count)
        }
        if summary.committed, summary.accepted + summary.corrected + summary.duplicates > 0 {
            logger.event(.batchAccepted, "voyage batch stored", metadata: [
                LogField.operatorID: "\(operatorID)", "ACCEPTED": "\(summary.accepted)",
                "DUPLICATES": "\(summary.duplicates)", "CORRECTED": "\(summary.corrected)", "REJECTED": "\(summary.rejected)",
            ])
        }
        if summary.rejected > 0 {
            let first = summary.rejections.first
            logger.event(.recordsRejected, level: .warning, "records rejected", metadata: [
                LogField.operatorID: "\(operatorID)", "REJECTED": "\(summary.rejected)",
                "FIRST_LINE": "\(first?.line ?? 0)", "FIRST_FIELD": "\(first?.field ?? "")",
                "FIRST_REASON": "\(first?.reason ?? "")", "COMMITTED": "\(summary.committed)",
            ])
        }
        for outcome in importer.outcomes where outcome.outcome == .corrected {
            logger.info("voyage corrected", metadata: [
                LogField.operatorID: "\(outcome.voyage.operator)", LogField.movementID: "\(outcome.voyage.movementId)",
                LogField.vesselMMSI: "\(outcome.voyage.mmsi)",
            ])
        }
        revised(importer.revisions, operatorID: operatorID)
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

/// `portdaily_ingest_records_total` by result, made once (after the metrics backend is set up)
/// rather than looked up in the registry on every submission.
struct IngestCounters: Sendable {
    let accepted = Counter(label: "portdaily_ingest_records_total", dimensions: [("result", "accepted")])
    let duplicate = Counter(label: "portdaily_ingest_records_total", dimensions: [("result", "duplicate")])
    let corrected = Counter(label: "portdaily_ingest_records_total", dimensions: [("result", "corrected")])
    let rejected = Counter(label: "portdaily_ingest_records_total", dimensions: [("result", "rejected")])
}
