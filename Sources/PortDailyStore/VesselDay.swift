public import PortDailyCore

/// One vessel on one local date: the unit the fold works on.
public struct VesselDay: Hashable, Sendable {
    public let mmsi: MMSI
    public let date: LocalDate
    public init(mmsi: MMSI, date: LocalDate) { self.mmsi = mmsi; self.date = date }
}

/// A report revision a write created or replaced.
public struct RevisionWritten: Sendable, Equatable {
    public let reportId: String
    public let mmsi: MMSI
    public let date: LocalDate
    public let revision: Int
    /// The change touched a sealed day: a new numbered revision, marked late.
    public let late: Bool

    public init(reportId: String, mmsi: MMSI, date: LocalDate, revision: Int, late: Bool) {
        self.reportId = reportId
        self.mmsi = mmsi
        self.date = date
        self.revision = revision
        self.late = late
    }
}
