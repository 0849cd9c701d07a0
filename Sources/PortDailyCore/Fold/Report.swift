/// The two kinds of report the regime knows.
public enum ReportKind: String, Sendable, Codable, Hashable {
    /// One consolidated report per admitted vessel per local day, filed with its home bureau.
    case daily
    /// One report per voyage, for a vessel without a valid admission on that day.
    case perVoyage = "per-voyage"
}

/// Totals of one report's voyages.
public struct ReportTotals: Hashable, Sendable, Codable {
    public var voyages: Int
    /// Voyages whose two areas lie in different bureaus' jurisdictions.
    public var crossJurisdictionVoyages: Int
    public var jobs: [String: Int]
    public var areasVisited: [String]
    public var firstDeparture: Instant?
    public var lastArrival: Instant?
    public var personsAboardMax: Int?
}

/// A report's content: what one revision of it says. Revision bookkeeping (number, sealed, late)
/// lives beside it, in the store.
public struct Report: Hashable, Sendable, Codable {
    /// Stable identity across revisions: `D-<mmsi>-<date>` or `V-<operator>-<movementId>`.
    public var reportId: String
    public var kind: ReportKind
    public var date: LocalDate
    public var mmsi: MMSI
    public var vesselName: String
    public var vesselImo: IMONumber?
    public var callSign: String?
    public var vesselType: String
    public var `operator`: String
    /// The ONE administration the report is filed with.
    public var homeBureau: String
    /// Every bureau the report is shared with, sorted.
    public var sharedWith: [String]
    /// The voyages in time order; empty when every voyage was withdrawn.
    public var voyages: [Voyage]
    public var totals: ReportTotals

    public static func dailyID(mmsi: MMSI, date: LocalDate) -> String { "D-\(mmsi)-\(date)" }
    public static func perVoyageID(_ key: VoyageKey) -> String { "V-\(key.operator)-\(key.movementId)" }
}

/// What one revision changed against the one before it.
public struct ReportChange: Hashable, Sendable, Codable {
    public enum Action: String, Sendable, Codable { case added, corrected, withdrawn }
    public let movementId: String
    public let `operator`: String
    public let action: Action
    public init(movementId: String, operator: String, action: Action) {
        self.movementId = movementId
        self.operator = `operator`
        self.action = action
    }
}
