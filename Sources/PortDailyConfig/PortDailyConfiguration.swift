public import Foundation
public import PortDailyCore
public import PortDailyAIS

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
    public var tokens = TokenSettings()
    public var ais = AISSettings()

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

/// How long API tokens live (`tokens:` in the configuration).
/// The AIS feeds the daemon listens to, how long positions are kept, and how tracks are read.
public struct AISSettings: Sendable, Equatable {
    /// `HOST:PORT` to receive NMEA over UDP (receivers and AIS-catcher send it so); nil: none.
    public var udp: Endpoint?
    /// `HOST:PORT` feeds to connect to and read NMEA from (reconnected after an outage).
    public var tcp: [Endpoint] = []
    /// Positions older than this are pruned by the daemon.
    public var retentionMilliseconds: Int64 = 62 * Instant.millisecondsPerDay
    public var crossCheck = CrossCheckSettings()

    public struct Endpoint: Sendable, Equatable {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    public init() {}
    public var listens: Bool { udp != nil || !tcp.isEmpty }
}

public struct TokenSettings: Sendable, Equatable {
    /// A token issued or rotated without `--expires-in` expires this long after it is issued.
    public var lifetimeMilliseconds: Int64 = 365 * Instant.millisecondsPerDay
    /// `tokens rotate`: how long the old token stays valid beside its successor.
    public var rotationGraceMilliseconds: Int64 = 7 * Instant.millisecondsPerDay
    /// The daemon warns, once a day, of each token that expires within this long.
    public var warnBeforeMilliseconds: Int64 = 14 * Instant.millisecondsPerDay

    public init() {}
}

/// How long a token is to live, as `--expires-in` says it.
public enum TokenLifetime: Sendable, Equatable {
    /// Only when asked for by name: a token that never expires.
    case never
    case milliseconds(Int64)

    /// `never`, or a duration such as 90d, 12h or 1d12h (more than zero); nil otherwise.
    public init?(_ text: String) {
        if text == "never" { self = .never; return }
        guard let milliseconds = Duration.parseMilliseconds(text), milliseconds > 0 else { return nil }
        self = .milliseconds(milliseconds)
    }

    /// When a token issued at `issued` with this lifetime expires (nil: never).
    public func expiry(issuedAt issued: Instant) -> Instant? {
        switch self {
        case .never: nil
        case .milliseconds(let milliseconds): issued.adding(milliseconds: milliseconds)
        }
    }
}
