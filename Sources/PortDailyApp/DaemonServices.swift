import Foundation
import Logging
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyLogging
import PortDailyStore
import PortDailyTLS
public import ServiceLifecycle
import SystemdSupport
import UnixSignals

/// Keeps the store open while the daemon runs and closes it last, after every other service stopped.
struct StoreService: Service {
    let store: PortDailyStore
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do { try store.close() } catch {
            logger.event(.storeError, level: .error, "closing the store failed", metadata: ["ERROR": "\(error)"])
        }
    }
}

/// Says `STOPPING=1` and logs the stopping event as soon as shutdown starts (it is the last
/// service of the group, so the first to hear of it).
struct LifecycleService: Service {
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        notifier.stopping()
        logger.event(.stopping, "stopping: finishing in-flight requests and commits")
    }
}

/// Re-reads the configuration on SIGHUP (`systemctl reload`): bureaus, port areas, vessel
/// types, limits, log level. An invalid file keeps the old configuration running, logs why,
/// and says so in `STATUS=`.
struct ReloadService: Service {
    /// SIGHUP, trapped when the daemon started.
    let hangups: UnixSignalsSequence
    let configPath: String
    let overrides: DaemonOverrides
    let live: LiveConfiguration
    let logLevel: LogLevelControl
    let notifier: SystemdNotifier
    let status: StatusReporter
    /// The listener's TLS, when it has any: its files are read again at every reload.
    let tls: ServerTLS?
    let clock: any WallClock
    let logger: Logger

    func run() async throws {
        for await _ in hangups.cancelOnGracefulShutdown() { reload() }
    }

    func reload() {
        notifier.reloading()
        do {
            let fresh = try overrides.apply(to: ConfigLoader.load(path: configPath))
            let previous = live.current
            guard fresh.timeZone.identifier == previous.timeZone.identifier else {
                throw TimeZoneMismatch(stored: previous.timeZone.identifier, configured: fresh.timeZone.identifier)
            }
            if fresh.database != previous.database || fresh.daemon.listen != previous.daemon.listen
                || (fresh.daemon.tls == nil) != (previous.daemon.tls == nil) {
                logger.warning("database, listen and TLS on or off take effect at the next restart",
                               metadata: ["DATABASE": "\(fresh.database)", "LISTEN": "\(fresh.daemon.listen)",
                                          "TLS": "\(fresh.daemon.tls != nil)"])
            }
            reloadTLS(fresh.daemon.tls)
            var applied = fresh
            applied.database = previous.database
            live.replace(with: applied)
            logLevel.set(applied.daemon.logLevel)
            logger.event(.reloaded, "configuration reloaded",
                         metadata: ["CONFIG_FILE": "\(configPath)", "BUREAUS": "\(applied.setup.bureaus.count)",
                                    "PORT_AREAS": "\(applied.setup.portAreas.count)"])
            status.reloadFailure = nil
            status.publish(ready: true)
        } catch {
            logger.event(.reloadFailed, level: .error, "reload failed; the previous configuration stays in force",
                         metadata: ["CONFIG_FILE": "\(configPath)", "ERROR": "\(error)"])
            status.reloadFailure = "\(error)"
            status.publish(ready: true)
        }
    }
}

extension ReloadService {
    /// Reads the certificate, key and client CA again; files that cannot be used leave the ones
    /// in force serving, and say so.
    func reloadTLS(_ settings: TLSSettings?) {
        guard let tls, let settings else { return }
        do {
            TLSReload.logLoaded(try tls.reload(settings), settings: settings, logger: logger, now: clock.now)
        } catch {
            logger.event(.tlsCertificateRefused, level: .error,
                         "the TLS files cannot be used; the certificate in force stays",
                         metadata: ["CERTIFICATE_FILE": "\(settings.certificate)", "ERROR": "\(error)",
                                    "SUBJECT": "\(tls.loaded.subject)"])
        }
    }
}

enum TLSReload {
    static func logLoaded(_ loaded: ServerTLS.Loaded, settings: TLSSettings, logger: Logger, now: Instant) {
        let expired = loaded.notValidAfter.timeIntervalSince1970 * 1000 < Double(now.millisecondsSinceEpoch)
        logger.event(.tlsCertificateLoaded, level: expired ? .warning : .info,
                     expired ? "TLS certificate loaded, but it has expired: clients will refuse it" : "TLS certificate loaded",
                     metadata: ["CERTIFICATE_FILE": "\(settings.certificate)", "SUBJECT": "\(loaded.subject)",
                                "NOT_AFTER": "\(loaded.notValidAfter)", "MUTUAL_TLS": "\(loaded.mutual)"])
    }
}

/// Seals every due day at local midnight plus the grace period, with the same code as
/// `portdaily seal`, and logs each sealed day.
public struct SealerService: Service {
    let store: PortDailyStore
    let live: LiveConfiguration
    let clock: any WallClock
    let logger: Logger
    let metrics: DaemonMetrics
    let onSealed: @Sendable () -> Void
    /// A failing store is logged once, not at every check.
    private let outage = OutageLatch()

    init(store: PortDailyStore, live: LiveConfiguration, clock: any WallClock, logger: Logger, metrics: DaemonMetrics,
         onSealed: @escaping @Sendable () -> Void) {
        (self.store, self.live, self.clock, self.logger, self.metrics, self.onSealed) = (store, live, clock, logger, metrics, onSealed)
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            let configuration = live.current
            let now = clock.now
            await sealDue(configuration, now: now)
            let next = configuration.calendar.sealDue(for: configuration.calendar.latestSealableDate(at: now).adding(days: 1))
            let untilDue = max(1000, next.millisecondsSinceEpoch - clock.now.millisecondsSinceEpoch + 1000)
            let pause = min(untilDue, configuration.daemon.sealCheckMilliseconds)
            do { try await sleep(milliseconds: pause) } catch { return }
        }
    }

    /// Sleeps, but wakes early when the configuration is reloaded (the grace or interval may have changed).
    private func sleep(milliseconds: Int64) async throws {
        let generation = live.generation
        let deadline = ContinuousClock.now + .milliseconds(milliseconds)
        while ContinuousClock.now < deadline, live.generation == generation {
            let slice = min(Duration.seconds(1), deadline - ContinuousClock.now)
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: slice) }
        }
    }

    /// One check at the clock's time: what the service does at every interval.
    public func check() async { await sealDue(live.current, now: clock.now) }

    /// Seals the days that are due, after folding the days of past dates submissions left stale (a
    /// catch-up in group commit's gaps, so that a first read of such a day finds little left to
    /// fold; today's are left to their reads).
    func sealDue(_ configuration: PortDailyConfiguration, now: Instant) async {
        logger.debug("seal check", metadata: ["NOW": "\(now)"])
        // A damaged store is folded and sealed no more; one opened read-only was logged once at
        // start: no error per check until it can write.
        if store.damage != nil { return }
        if store.isReadOnly, !store.reopenIfWritable() { return }
        let rules = StoreRules(setup: configuration.setup, calendar: configuration.calendar)
        do {
            let folded = try await store.catchUpStaleDays(rules: rules, now: now)
            if folded > 0 { logger.debug("stale reports folded", metadata: ["REPORTS": "\(folded)"]) }
            let result = try store.seal(rules: rules, now: now)
            metrics.sealRuns.increment()
            for day in result.sealedDays {
                logger.event(.daySealed, "day sealed", metadata: [
                    LogField.reportDate: "\(day.date)", "REPORTS": "\(day.reports)",
                ])
            }
            if !result.sealedDays.isEmpty { onSealed() }
            if outage.succeeded() { logger.notice("sealing works again") }
        } catch {
            metrics.storeErrors.increment()
            if StoreDamageReport.notice(error, store: store, foundBy: "the sealer", logger: logger) { return }
            if outage.failed() {
                logger.event(.storeError, level: .error, "sealing failed; retried at every check, logged once until it works again",
                             metadata: ["ERROR": "\(error)"])
            }
        }
    }
}

/// Refreshes `STATUS=` now and then: voyages today, open days, last seal.
struct StatusService: Service {
    let status: StatusReporter
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
            status.publish()
        }
    }
}

