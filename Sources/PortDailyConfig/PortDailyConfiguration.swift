public import Foundation
public import PortDailyCore

/// Everything the configuration file says, parsed and checked once, at the edge.
public struct PortDailyConfiguration: Sendable {
    /// Where the configuration came from.
    public var file: String
    /// The SQLite database file (a relative path is relative to the configuration file's folder).
    public var database: String
    public var timeZone: TimeZone
    public var sealGraceMilliseconds: Int64
    public var setup: PortSetup
    public var ingest: IngestSettings
    public var daemon: DaemonSettings
    public var figures: FigureParameters

    public var calendar: ReportCalendar { ReportCalendar(timeZone: timeZone, sealGraceMilliseconds: sealGraceMilliseconds) }

    /// The default location, used when neither `--config` nor `PORTDAILY_CONFIG` names one.
    public static let defaultPath = "/etc/portdaily/portdaily.yaml"

    /// The file to read: an explicit path, else `PORTDAILY_CONFIG`, else ``defaultPath``.
    public static func resolvePath(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["PORTDAILY_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultPath
    }
}

/// Limits applied to submitted voyages.
public struct IngestSettings: Sendable, Equatable {
    /// How far ahead of the time of receipt a departure may lie.
    public var maxFutureMilliseconds: Int64 = 48 * Instant.millisecondsPerHour
    /// Departures before this date (UTC midnight) are refused.
    public var earliestDeparture = LocalDate(year: 2000, month: 1, day: 1)!
    /// Records a bulk import reads, sorts and hands to its writer at a time.
    public var batchSize = 5000
    /// How long one transaction of a bulk import stays open (it holds several batches).
    public var transactionMilliseconds: Int64 = 1000
    /// The page cache of a bulk import's connection while it writes.
    public var importCacheMiB = 256

    public init() {}

    public var earliestDepartureInstant: Instant {
        Instant(millisecondsSinceEpoch: Int64(earliestDeparture.dayNumber) * Instant.millisecondsPerDay)
    }
}
