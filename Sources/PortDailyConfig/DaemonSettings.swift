import Foundation
public import Logging
public import PortDailyCore

/// How the daemon listens, logs and serves HTTP.
public struct DaemonSettings: Sendable, Equatable {
    /// The address to bind when not socket-activated.
    public var listenHost = "127.0.0.1"
    public var listenPort = 8470
    /// Of several sockets passed by systemd, the one with this `FileDescriptorName=`.
    public var socketName: String? = nil
    public var logLevel: Logger.Level = .info
    public var journal: JournalMode = .auto
    /// The API's limits (body sizes, page size, remark length, figures period).
    public var limits = APILimits()
    /// Rate limits and the cap on requests in flight (`http.rateLimits`, `http.maxInFlight`).
    public var abuse = AbuseLimits()
    /// Connections idle (or sending too slowly) this long are closed.
    public var idleTimeoutMilliseconds: Int64 = 60_000
    /// Serve `GET /metrics` to loopback clients without a token.
    public var metricsFromLoopback = true
    /// TLS on the listener (`http.tls`); nil: plain HTTP (behind a TLS proxy, or on loopback).
    public var tls: TLSSettings? = nil
    /// Peers whose `X-Forwarded-For` names the client (`http.trustedProxies`): a reverse proxy's
    /// addresses. From any other peer the header is ignored.
    public var trustedProxies: [String] = []
    /// How often the sealer checks for days due (it also wakes at the next due time).
    public var sealCheckMilliseconds: Int64 = 60_000
    /// The web console's sessions and sign-in limits.
    public var console = ConsoleSettings()
    /// The background integrity check and the daemon's own backups.
    public var safety = StoreSafetySettings()

    public init() {}

    public var listen: String { "\(listenHost):\(listenPort)" }

    /// Parses `HOST:PORT` (`[::1]:8470` for IPv6).
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port), !host.isEmpty else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}

/// The listener's TLS (`http.tls`): PEM files, read at start and again at every reload.
public struct TLSSettings: Sendable, Equatable {
    /// The server's certificate, followed by any intermediates (`http.tls.certificate`).
    public var certificate: String
    /// Its private key (`http.tls.privateKey`).
    public var privateKey: String
    /// CA certificates whose client certificates are accepted (`http.tls.clientCA`): mutual TLS.
    /// A client without a certificate is still served, unless ``requireClientCertificate``; one
    /// with a certificate this CA did not sign is refused in the handshake.
    public var clientCA: String? = nil
    /// Refuse clients that present no certificate (`http.tls.requireClientCertificate`).
    public var requireClientCertificate = false

    public init(certificate: String, privateKey: String) {
        self.certificate = certificate
        self.privateKey = privateKey
    }
}

/// Where log entries go.
public enum JournalMode: String, Sendable, Equatable, CaseIterable {
    /// To journald when stderr is connected to the journal (`JOURNAL_STREAM`), else to stderr.
    case auto
    case always
    case never
}

/// The HTTP API's limits, named in one place. The ones an admin may want to change are read from
/// the configuration's `http:` section; the rest are constants.
public struct APILimits: Sendable, Equatable {
    /// Largest submission body (`http.maxBodyBytes`); larger ones get 413.
    public var maxBodyBytes = 16 * 1024 * 1024
    /// Largest page of the changes feed a client may ask for (`http.maxPageSize`).
    public var maxPageSize = 1000
    /// Longest remark of an acknowledgement, in characters (`http.maxRemarkLength`).
    public var maxRemarkLength = 1000
    /// Longest period of one figures request, in days (`http.maxFiguresDays`): ten years.
    public var maxFiguresDays = 3660

    /// Largest body of the small documents: a register entry, a cancellation, an acknowledgement
    /// (none comes near it; a larger one is not one of them).
    public static let smallBodyBytes = 64 * 1024
    /// The changes feed's page when the client names none.
    public static let defaultPageSize = 100
    /// `Retry-After` of a write refused while the store cannot write (disk full, read-only file).
    public static let storeRetryAfterSeconds = 30
    /// `Retry-After` of `/healthz` while the store does not answer.
    public static let healthRetryAfterSeconds = 5

    public init() {}

    /// Whether a figures request may cover `from` through `to`: in order, and at most
    /// ``maxFiguresDays`` days (the route and the CLI each word their own refusal).
    public func admitsFiguresPeriod(from: LocalDate, to: LocalDate) -> Bool {
        from <= to && to.dayNumber - from.dayNumber < maxFiguresDays
    }
}

/// A token bucket's size: `burst` requests at once, then `perSecond` a second.
public struct BucketLimit: Sendable, Equatable {
    public var perSecond: Double
    public var burst: Int

    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }
}

/// What keeps one client (or a guesser of tokens) from taking the whole service.
public struct AbuseLimits: Sendable, Equatable {
    /// Requests per API token (429 with `Retry-After` beyond it).
    public var perToken = BucketLimit(perSecond: 50, burst: 200)
    /// Requests per client address that come without a valid token (429 beyond it).
    public var perAddress = BucketLimit(perSecond: 10, burst: 50)
    /// Bad tokens from one address within the window before its requests are refused (429) for
    /// the rest of it; past half of them, each bad attempt is answered a second late.
    public var badTokensPerAddress = 20
    public var badTokenWindowMilliseconds: Int64 = 15 * 60_000
    /// How long a 429 of these limits is held before it is sent (`http.rateLimits.refusalDelay`;
    /// 0: at once). A client that honours `Retry-After` never notices; one that hammers is slowed
    /// to a request a connection per delay, so its refusals stop costing the daemon CPU the other
    /// clients need. A held refusal does not count among the requests in flight.
    public var refusalDelayMilliseconds: Int64 = 1000
    /// Requests being answered at once (503 beyond it). Submissions may take three quarters of
    /// it, so that reads and `/healthz` keep room during a flood of writes.
    public var maxInFlight = 512
    /// Connections open at once; a new one beyond it is closed before its first request is read.
    public var maxConnections = 1024

    public init() {}
}

/// The web console's sessions and sign-in limits (`console:` in the configuration).
public struct ConsoleSettings: Sendable, Equatable {
    /// A session ends after this long without a request (`console.sessionIdle`).
    public var sessionIdleMilliseconds: Int64 = 30 * 60_000
    /// And at the latest this long after sign-in (`console.sessionLifetime`).
    public var sessionLifetimeMilliseconds: Int64 = 12 * 3_600_000
    /// Failed sign-ins allowed per user name within the window, then 429 (`console.signInLimit`).
    public var failedSignInsPerUser = 5
    /// Failed sign-ins allowed per client address within the window.
    public var failedSignInsPerAddress = 20
    public var signInWindowMilliseconds: Int64 = 15 * 60_000
    /// Mark the session cookie `Secure`: set when the console is reached over HTTPS (a TLS proxy).
    public var secureCookies = false

    public init() {}
}

/// What keeps the store safe: the background check (`integrityCheck:`) and the daemon's backups
/// (`backup:`, none when absent).
public struct StoreSafetySettings: Sendable, Equatable {
    /// A whole pass of `PRAGMA quick_check` over every table this often (`integrityCheck.every`).
    public var checkEveryMilliseconds: Int64 = 6 * 3_600_000
    /// The pause between two tables' checks, so that a pass never holds a reader for long (`integrityCheck.pause`).
    public var checkPauseMilliseconds: Int64 = 1000
    public var backup: BackupSettings? = nil

    public init() {}
}

/// The daemon's backups (`backup:`).
public struct BackupSettings: Sendable, Equatable {
    /// Where backups go (`backup.directory`); nil: a `backups` directory beside the database file.
    public var directory: String? = nil
    /// A backup this often (`backup.every`).
    public var everyMilliseconds: Int64 = 24 * 3_600_000
    /// How many backups are kept; the oldest beyond that are removed (`backup.keep`).
    public var keep = 7

    public init() {}

    /// The directory for a store at `databasePath`.
    public func directory(forDatabase databasePath: String) -> String {
        directory ?? URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("backups").path
    }
}
