import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOPosix
import PortDailyAISFeed
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyLogging
import PortDailyStore
import PortDailyTLS
import Prometheus
import ServiceLifecycle
import SystemdSupport
import UnixSignals

/// Assembles and runs `portdailyd`: configuration, logging, metrics, the store, the HTTP server
/// and the background services, in one `ServiceGroup` in dependency order (the store first, so
/// it closes last). `READY=1` is sent only once the store is open and migrated and the socket
/// is bound.
public struct PortDailyDaemon {
    public let configPath: String
    public let overrides: DaemonOverrides
    public let environment: [String: String]

    public init(configPath: String, overrides: DaemonOverrides, environment: [String: String]) {
        self.configPath = configPath
        self.overrides = overrides
        self.environment = environment
    }

    /// Runs until SIGTERM or SIGINT; returns the exit status.
    public func run() async -> Int32 {
        let configuration: PortDailyConfiguration
        do { configuration = try overrides.apply(to: ConfigLoader.load(path: configPath)) } catch {
            FileHandle.standardError.write(Data("portdailyd: \(error)\n".utf8))
            return 2
        }
        let levelControl = LogLevelControl(configuration.daemon.logLevel)
        let journal = LogDestination.useJournal(configuration.daemon.journal, environment: environment)
        LoggingSystem.bootstrap { label in LogDestination.makeHandler(label: label, journal: journal, control: levelControl) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "portdailyd")
        logger.event(.started, "portdailyd starting", metadata: [
            "CONFIG_FILE": "\(configPath)", "DATABASE": "\(configuration.database)",
        ])

        let store: PortDailyStore
        do { store = try PortDailyStore(path: configuration.database, allowReadOnly: true, checkpoints: .daemon) } catch {
            logger.event(.storeError, level: .critical, "cannot open the store",
                         metadata: ["DATABASE": "\(configuration.database)", "ERROR": "\(error)"])
            return 1
        }
        // A damaged store is not asked: it serves what it can until an admin restores it.
        do { if store.damage == nil { try store.adoptTimeZone(configuration.timeZone.identifier) } } catch {
            logger.event(.storeError, level: .critical, "the store cannot be used with this configuration",
                         metadata: ["DATABASE": "\(configuration.database)", "ERROR": "\(error)"])
            return 1
        }
        // A store found damaged at opening is logged by the application (buildApplication).
        if store.isReadOnly, store.damage == nil {
            logger.event(.storeError, level: .error,
                         "the store cannot be written: opened read-only; reads are served, writes get 503 until it can be",
                         metadata: ["DATABASE": "\(configuration.database)"])
        }
        do {
            // SIGHUP is trapped before anything runs: READY=1 can go out (and systemctl reload follow)
            // before the reload service's task has started, and an untrapped SIGHUP ends the process.
            let hangups = await UnixSignalsSequence(trapping: .sighup)
            try await makeServiceGroup(configuration, store: store, registry: registry, levelControl: levelControl,
                                       hangups: hangups, logger: logger).run()
        } catch let error as TLSSetupError {
            logger.event(.tlsCertificateRefused, level: .critical, "cannot serve TLS with the configured files",
                         metadata: ["CERTIFICATE_FILE": "\(configuration.daemon.tls?.certificate ?? "")", "ERROR": "\(error)"])
            return 1
        } catch {
            logger.event(.storeError, level: .critical, "portdailyd failed", metadata: ["ERROR": "\(error)"])
            return 1
        }
        logger.info("portdailyd stopped")
        return 0
    }

    func makeServiceGroup(_ configuration: PortDailyConfiguration, store: PortDailyStore,
                          registry: PrometheusCollectorRegistry, levelControl: LogLevelControl,
                          hangups: UnixSignalsSequence, logger: Logger) throws -> ServiceGroup {
        let live = LiveConfiguration(configuration)
        let notifier = SystemdNotifier()
        let clock = SystemClock()
        let tls = try configuration.daemon.tls.map { settings in
            let tls = try ServerTLS(settings)
            TLSReload.logLoaded(tls.loaded, settings: settings, logger: logger, now: clock.now)
            return tls
        }
        let status = StatusReporter(store: store, live: live, metrics: DaemonMetrics(), clock: clock)
        let app = buildApplication(configuration: live, store: store, clock: clock, logger: logger, registry: registry,
                                   clientCertificates: tls == nil ? NoClientCertificates() : TLSClientCertificates(),
                                   onSealed: { status.publish() })
        status.backupProblem.withLock { [backups = app.backups] in $0 = { backups.problem } }

        // The application's responder behind the daemon's own listener: the configured address, or
        // the socket systemd passed (which Hummingbird's server cannot adopt).
        let target = listenTarget(configuration.daemon)
        let http = HTTPService(
            responder: app.responder, target: target, idleTimeout: .milliseconds(configuration.daemon.idleTimeoutMilliseconds),
            tls: tls,
            channelHandlers: { [connections = app.connections] in connections.handlers() }, logger: logger,
            onServerRunning: { channel in
                let address = channel.localAddress?.description ?? target.description
                logger.event(.ready, "portdailyd ready", metadata: ["LISTEN": "\(address)", "TLS": "\(tls != nil)"])
                status.markReady()
            })

        var services: [any Service] = [StoreService(store: store, logger: logger), http]
        services += app.services
        if let interval = SystemdNotifier.watchdogInterval() {
            services.append(WatchdogService(interval: interval, notifier: notifier, logger: logger) {
                try await Self.livenessCheck(store: store)
            })
        }
        // The AIS feeds (ais.udp, ais.tcp) and the pruning of positions past the retention.
        services.append(AISFeedService(store: store, settings: configuration.ais, clock: clock, logger: logger))
        services.append(AISCheckService(store: store, live: live, clock: clock, logger: logger))
        services.append(StatusService(status: status, interval: .seconds(30)))
        services.append(ReloadService(hangups: hangups, configPath: configPath, overrides: overrides, live: live, logLevel: levelControl,
                                      notifier: notifier, status: status, tls: tls, clock: clock, logger: logger))
        services.append(LifecycleService(notifier: notifier, logger: logger))
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                 logger: logger))
    }

    func listenTarget(_ settings: DaemonSettings) -> ListenTarget {
        let sockets = SocketActivation.inheritedSockets()
        if let socket = SocketActivation.select(sockets, preferredName: settings.socketName) { return .inherited(socket) }
        return .address(host: settings.listenHost, port: settings.listenPort)
    }

    /// The process is alive when the store answers a query and NIO's event loop runs a task.
    static func livenessCheck(store: PortDailyStore) async throws {
        try store.ping()
        try await MultiThreadedEventLoopGroup.singleton.next().submit {}.get()
    }
}
