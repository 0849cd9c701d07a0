public import Hummingbird
public import HummingbirdCore
public import Logging
public import PortDailyConfig
public import PortDailyCore
public import PortDailyHTTP
import PortDailyConsole
public import PortDailyStore
public import Prometheus
public import ServiceLifecycle

/// PortDaily assembled: the API's router and the background services (sealer, integrity check,
/// backups, token expiry warnings) over one store, one
/// configuration and one clock. `portdailyd` runs it (with the systemd services around it, on the
/// address or the socket systemd passed); tests run the same value in process through
/// HummingbirdTesting, with a clock they set and a temporary store.
public struct PortDailyApplication: ApplicationProtocol {
    public typealias Context = AppRequestContext
    public typealias Responder = RouterResponder<AppRequestContext>

    public let responder: Responder
    /// Every route, with the action the scope policy judges it by.
    public let routes: [RouteDeclaration]
    /// Every route the router serves, as it spells them (a test compares them with ``routes``).
    public let routed: [(method: HTTPRequest.Method, path: String)]
    public let configuration: ApplicationConfiguration
    public let logger: Logger
    public let server: HTTPServerBuilder
    /// The day sealer (which also folds the past days submissions left stale).
    public var services: [any Service]
    /// The same sealer, for a test that runs one check at a time of its choosing.
    public let sealer: SealerService
    /// The background integrity check and the backups (also among ``services``).
    public let integrityCheck: IntegrityCheckService
    public let backups: BackupService
    /// The daily warning of tokens about to expire (also among ``services``).
    public let tokenExpiry: TokenExpiryService
    /// The cap on open connections (`http.maxConnections`): its handlers go on every connection,
    /// of ``server`` and of the daemon's own listener alike.
    let connections: ConnectionCap
}

/// Builds the application. `journalClock` is the monotonic time the journal's entry budgets count
/// seconds in (a test steps its own); `onSealed` is told when a check sealed days (the daemon
/// refreshes its systemd status then).
public func buildApplication(configuration: LiveConfiguration, store: PortDailyStore, clock: any WallClock = SystemClock(),
                             logger: Logger, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
                             journalClock: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
                             clientCertificates: any ClientCertificateLookup = NoClientCertificates(),
                             onSealed: @escaping @Sendable () -> Void = {}) -> PortDailyApplication {
    if let damage = store.damage { StoreDamageReport.logged(damage, store: store, logger: logger) }
    let ledger = RouteLedger()
    let router = buildRouter(store: store, configuration: configuration, clock: clock, registry: registry, ledger: ledger,
                             journalClock: journalClock, clientCertificates: clientCertificates) { router, api in
        Console(store: store, configuration: configuration, clock: clock, operations: api).addRoutes(to: router)
    }
    let daemon = configuration.current.daemon
    let sealer = SealerService(store: store, live: configuration, clock: clock, logger: logger, metrics: DaemonMetrics(),
                               onSealed: onSealed)
    let integrityCheck = IntegrityCheckService(store: store, live: configuration, logger: logger)
    let backups = BackupService(store: store, live: configuration, clock: clock, logger: logger)
    let connections = ConnectionCap(live: configuration)
    let tokenExpiry = TokenExpiryService(store: store, live: configuration, clock: clock, logger: logger)
    return PortDailyApplication(
        responder: router.buildResponder(), routes: ledger.routes,
        routed: router.routes.map { ($0.method, $0.path.description) },
        configuration: ApplicationConfiguration(address: .hostname(daemon.listenHost, port: daemon.listenPort),
                                                serverName: nil),
        logger: logger,
        server: .http1(configuration: .init(additionalChannelHandlers: connections.handlers(),
                                            idleTimeout: .milliseconds(daemon.idleTimeoutMilliseconds))),
        services: [sealer, integrityCheck, backups, tokenExpiry], sealer: sealer, integrityCheck: integrityCheck, backups: backups,
        tokenExpiry: tokenExpiry, connections: connections)
}
