public import Logging
public import ServiceLifecycle

/// Pings systemd's watchdog at half the configured interval, and only after a real liveness
/// check passes, so a hung process stops pinging and gets restarted.
public struct WatchdogService: Service {
    let interval: Duration
    let notifier: SystemdNotifier
    let logger: Logger
    let livenessCheck: @Sendable () async throws -> Void

    /// - Parameters:
    ///   - interval: `WatchdogSec=` as systemd passes it (``SystemdNotifier/watchdogInterval()``).
    ///   - livenessCheck: Returns when the process is healthy; throws or hangs when it is not.
    public init(interval: Duration, notifier: SystemdNotifier = SystemdNotifier(), logger: Logger,
                livenessCheck: @escaping @Sendable () async throws -> Void) {
        self.interval = interval
        self.notifier = notifier
        self.logger = logger
        self.livenessCheck = livenessCheck
    }

    public func run() async throws {
        logger.info("watchdog enabled", metadata: ["WATCHDOG_INTERVAL": "\(interval)"])
        while !Task.isShuttingDownGracefully {
            do {
                try await livenessCheck()
                notifier.watchdog()
            } catch {
                logger.error("liveness check failed; not pinging the watchdog", metadata: ["ERROR": "\(error)"])
            }
            let pause = interval / 2
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } } catch { return }
        }
    }
}
