/// One revision of a report, with its bookkeeping.
public struct ReportRevision: Sendable, Equatable {
    public let report: Report
    public let revision: Int
    public let sealed: Bool
    /// The revision was made after its day was sealed.
    public let late: Bool
    public let recordedAt: Instant
    /// What this revision changed against the one before it.
    public let changes: [ReportChange]
    /// Position in commit order, for incremental pulls.
    public let seq: Int64

    public init(report: Report, revision: Int, sealed: Bool, late: Bool, recordedAt: Instant, changes: [ReportChange],
                seq: Int64) {
        self.report = report
        self.revision = revision
        self.sealed = sealed
        self.late = late
        self.recordedAt = recordedAt
        self.changes = changes
        self.seq = seq
    }

    /// A report whose voyages were all withdrawn.
    public var withdrawn: Bool { report.voyages.isEmpty }
}

extension ReportRevision: Encodable {
    enum Keys: String, CodingKey { case revision, sealed, late, withdrawn, recordedAt, changes }

    /// The report's own fields, then the revision's bookkeeping, in one flat object.
    public func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(revision, forKey: .revision)
        try container.encode(sealed, forKey: .sealed)
        try container.encode(late, forKey: .late)
        try container.encode(withdrawn, forKey: .withdrawn)
        try container.encode(recordedAt, forKey: .recordedAt)
        try container.encode(changes, forKey: .changes)
    }
}

/// The CSV shape of reports: one row per report revision.
public enum ReportCSV {
    /// The columns: ``ReportField``, the names the JSON document uses too.
    public static let header = ReportField.allCases.map(\.rawValue)

    public static func fields(_ r: ReportRevision) -> [String?] {
        var fields: [String?] = []
        fields.reserveCapacity(header.count)
        headFields(r.report) { fields.append($0) }
        fields += [String(r.revision), String(r.sealed), String(r.late)]
        tailFields(r.report) { fields.append($0) }
        return fields
    }

    /// The report's columns before the revision's bookkeeping (`revision`, `sealed`, `late`), in order.
    static func headFields(_ report: Report, _ emit: (String?) -> Void) {
        emit(report.reportId)
        emit(report.kind.rawValue)
        emit(report.date.description)
        emit(report.mmsi.rawValue)
        emit(report.vesselName)
        emit(report.vesselImo?.rawValue)
        emit(report.callSign)
        emit(report.vesselType)
        emit(report.operator)
        emit(report.homeBureau)
        emit(report.sharedWith.joined(separator: ";"))
    }

    /// The report's columns after the revision's bookkeeping, in order.
    static func tailFields(_ report: Report, _ emit: (String?) -> Void) {
        let totals = report.totals
        emit(String(totals.voyages))
        emit(String(totals.crossJurisdictionVoyages))
        emit(totals.jobs.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }.joined(separator: ";"))
        emit(totals.areasVisited.joined(separator: ";"))
        emit(totals.firstDeparture?.description)
        emit(totals.lastArrival?.description)
        emit(totals.personsAboardMax.map(String.init))
        var movementIds = ""
        for (index, voyage) in report.voyages.enumerated() {
            if index > 0 { movementIds.append(";") }
            movementIds.append(voyage.movementId)
        }
        emit(movementIds)
    }

    /// A report's CSV row without the revision's bookkeeping, escaped: what the store keeps beside
    /// the report, so a list in CSV is assembled without decoding any report.
    public struct Parts: Sendable, Equatable {
        /// The escaped columns before `revision`, joined with commas.
        public let head: String
        /// The escaped columns after `late`, joined with commas.
        public let tail: String

        public init(head: String, tail: String) {
            self.head = head
            self.tail = tail
        }

        public init(_ report: Report) {
            func joined(_ fields: ((String?) -> Void) -> Void) -> String {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(256)
                var first = true
                fields { field in
                    if !first { bytes.append(UInt8(ascii: ",")) }
                    first = false
                    CSVWriter.appendEscaped(field ?? "", to: &bytes)
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            self.init(head: joined { ReportCSV.headFields(report, $0) }, tail: joined { ReportCSV.tailFields(report, $0) })
        }

        /// The whole row, CRLF-terminated: the same text as `CSVWriter.row(ReportCSV.fields(…))`.
        public func row(revision: Int, sealed: Bool, late: Bool) -> String {
            head + "," + String(revision) + "," + String(sealed) + "," + String(late) + "," + tail + "\r\n"
        }
    }
}

/// A stored revision as the store keeps it: the report's canonical JSON and the revision's
/// bookkeeping, for answers that need not decode the report.
public struct StoredRevisionText: Sendable {
    public let reportId: String
    /// The report's canonical JSON, as UTF-8.
    public let content: [UInt8]
    /// The revision's changes as JSON, as UTF-8.
    public let changes: [UInt8]
    public let revision: Int
    public let sealed: Bool
    public let late: Bool
    public let withdrawn: Bool
    public let recordedAt: Instant
    public let seq: Int64
    /// The report's CSV row around the bookkeeping, when the store kept it (rows written before it
    /// did have none: their row is made from the decoded report).
    public let csv: ReportCSV.Parts?

    public init(reportId: String, content: [UInt8], changes: [UInt8], revision: Int, sealed: Bool, late: Bool,
                withdrawn: Bool, recordedAt: Instant, seq: Int64, csv: ReportCSV.Parts? = nil) {
        self.reportId = reportId
        self.content = content
        self.changes = changes
        self.revision = revision
        self.sealed = sealed
        self.late = late
        self.withdrawn = withdrawn
        self.recordedAt = recordedAt
        self.seq = seq
        self.csv = csv
    }

    /// The revision's CSV row, CRLF-terminated.
    public func csvRow() throws -> String {
        if let csv { return csv.row(revision: revision, sealed: sealed, late: late) }
        return CSVWriter.row(ReportCSV.fields(try decoded()))
    }

    /// The stored text of a revision read and decoded already: its report written again by the
    /// one report encoder (``ReportJSON``).
    public init(_ revision: ReportRevision) {
        self.init(reportId: revision.report.reportId, content: ReportJSON.bytes(revision.report),
                  changes: ReportJSON.bytes(revision.changes), revision: revision.revision, sealed: revision.sealed,
                  late: revision.late, withdrawn: revision.withdrawn, recordedAt: revision.recordedAt, seq: revision.seq)
    }

    /// The revision with its report and changes read from the stored text.
    public func decoded() throws -> ReportRevision {
        ReportRevision(report: try ReportJSON.decodeReport(content), revision: revision, sealed: sealed, late: late,
                       recordedAt: recordedAt, changes: try ReportJSON.decodeChanges(changes), seq: seq)
    }
}
