/// What happened to one submitted record.
public enum IngestOutcome: Sendable, Equatable {
    case accepted
    case duplicate
    case corrected
    case rejected(FieldIssue)
}

/// The summary of one import or submission: counts by outcome and the located issues.
/// `accepted + duplicates + corrected + rejected` is the number of records read.
public struct ImportSummary: Sendable, Codable, Equatable {
    public var accepted = 0
    public var duplicates = 0
    public var corrected = 0
    public var rejected = 0
    public var rejections: [RecordIssue] = []
    public var warnings: [RecordIssue] = []
    /// False when `all-or-nothing` refused the whole input: then nothing was stored.
    public var committed = true

    public init() {}

    public var records: Int { accepted + duplicates + corrected + rejected }

    public mutating func record(_ outcome: IngestOutcome, line: Int) {
        switch outcome {
        case .accepted: accepted += 1
        case .duplicate: duplicates += 1
        case .corrected: corrected += 1
        case .rejected(let issue):
            rejected += 1
            rejections.append(RecordIssue(line: line, issue))
        }
    }

    public mutating func merge(_ other: ImportSummary) {
        accepted += other.accepted
        duplicates += other.duplicates
        corrected += other.corrected
        rejected += other.rejected
        rejections += other.rejections
        warnings += other.warnings
        committed = committed && other.committed
    }
}

/// A voyage that passed validation, with the place it came from.
public struct ValidatedVoyage: Sendable {
    public let line: Int
    public let voyage: Voyage
    public init(line: Int, voyage: Voyage) { self.line = line; self.voyage = voyage }
}
