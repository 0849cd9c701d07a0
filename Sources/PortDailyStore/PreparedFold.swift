public import PortDailyCore

/// A report as the fold made it, with the texts the store keeps of it.
struct FoldedReport: Sendable {
    let report: Report
    /// The report's canonical JSON, as UTF-8.
    let content: [UInt8]
    let csv: ReportCSV.Parts
    /// The changes of a revision that adds every voyage: a first revision, or revision 1 replaced.
    let allAdded: String

    init(_ report: Report) throws {
        self.report = report
        content = ReportJSON.bytes(report)
        csv = ReportCSV.Parts(report)
        allAdded = ReportJSON.encode(ReportFold.changes(from: [], to: report.voyages))
    }

    /// What the fold made for a vessel-day, by report id (the first of an id, should two share it).
    static func byID(_ reports: [Report]) throws -> [String: FoldedReport] {
        var result: [String: FoldedReport] = [:]
        for report in reports where result[report.reportId] == nil { result[report.reportId] = try FoldedReport(report) }
        return result
    }
}

/// A batch's days folded before the batch is written, on the thread that read it, while the
/// previous batch is being written: the writer then only checks that each day holds exactly the
/// batch's voyages and that the vessel's register entry is the one folded with, and stores the
/// texts. A day that fails either check is folded by the writer as usual.
public struct PreparedFold: Sendable {
    struct Day: Sendable {
        let vessel: Vessel
        let voyageCount: Int
        let reports: [String: FoldedReport]
    }

    let days: [VesselDay: Day]

    /// Folds each day of `batch` from the batch's voyages alone, with the vessels of `register`
    /// (a snapshot: the writer compares it with the register it reads).
    public init(_ batch: [ValidatedVoyage], register: [MMSI: Vessel], rules: StoreRules) throws {
        var byDay: [VesselDay: [Voyage]] = [:]
        for item in batch {
            byDay[VesselDay(mmsi: item.voyage.mmsi, date: rules.calendar.localDate(of: item.voyage.departedAt)), default: []]
                .append(item.voyage)
        }
        let fold = rules.fold
        var days: [VesselDay: Day] = [:]
        for (day, voyages) in byDay {
            guard let vessel = register[day.mmsi] else { continue }
            days[day] = Day(vessel: vessel, voyageCount: voyages.count,
                            reports: try FoldedReport.byID(fold.reports(vessel: vessel, date: day.date, voyages: voyages)))
        }
        self.days = days
    }
}
