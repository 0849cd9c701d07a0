import Foundation
import Logging
import Metrics
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyLogging
public import PortDailyStore
public import ServiceLifecycle
import Synchronization

/// Checks the database file in the background: `PRAGMA quick_check` of one table (with its
/// indexes) at a time, a pause between tables, a whole pass every `integrityCheck.every`, the first
/// at start. A pass runs on a thread of its own at the lowest CPU priority (nice 19, which on Linux
/// is the thread's alone) through a read-only connection of its own: ingest and reads keep the
/// cores they need, and writers never wait for it (WAL). Damage found marks the store damaged and
/// is logged once (see ``StoreDamageReport``).
public struct IntegrityCheckService: Service {
    let store: PortDailyStore
    let live: LiveConfiguration
    let logger: Logger
    private let checks = Counter(label: MetricName.integrityChecks)

    init(store: PortDailyStore, live: LiveConfiguration, logger: Logger) {
        (self.store, self.live, self.logger) = (store, live, logger)
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            // A service that returns stops the daemon: once the store is damaged, there is nothing
            // more to check, but the daemon goes on answering until it is stopped.
            if store.damage != nil {
                try? await gracefulShutdown()
                return
            }
            let safety = live.current.daemon.safety
            do {
                await cancelWhenGracefulShutdown { await pass(pauseSeconds: Double(safety.checkPauseMilliseconds) / 1000) }
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(safety.checkEveryMilliseconds)) }
            } catch { return }
        }
    }

    /// One whole pass without pauses, for a test; whether the store was found sound.
    @discardableResult
    public func checkNow() async -> Bool {
        await pass(pauseSeconds: 0)
        return store.damage == nil
    }

    /// A pass on its own thread; cancelling the task stops it (the table being checked is interrupted).
    private func pass(pauseSeconds: Double) async {
        guard store.damage == nil else { return }
        let check: IntegrityPass
        do { check = try IntegrityPass(path: store.path) } catch {
            found(error)
            return
        }
        let stopped = StopFlag()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
                    run(check, pauseSeconds: pauseSeconds, stopped: stopped)
                    done.resume()
                }
                thread.name = "portdaily-check"
                thread.start()
            }
        } onCancel: {
            stopped.set()
            check.interrupt()
        }
    }

    private func run(_ check: IntegrityPass, pauseSeconds: Double, stopped: StopFlag) {
        do {
            let findings = try check.run(pauseSeconds: pauseSeconds, isStopped: { stopped.isSet || store.damage != nil },
                                         checked: { checks.increment() })
            if !findings.isEmpty {
                let reason = findings.prefix(3).map(\.description).joined(separator: "; ")
                StoreDamageReport.record(StoreDamage(reason: reason, foundBy: "the background check"), store: store, logger: logger)
            }
        } catch where !stopped.isSet {
            found(error)
        } catch {}  // interrupted at shutdown
    }

    private func found(_ error: any Error) {
        if !StoreDamageReport.notice(error, store: store, foundBy: "the background check", logger: logger) {
            logger.warning("the background integrity check could not run", metadata: ["ERROR": "\(error)"])
        }
    }
}

/// Set once, read from any thread.
private final class StopFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}

/// Takes the daemon's backups (`backup:` in the configuration): at start when the newest is older
/// than `backup.every`, then every `backup.every`; each checked, logged with its counts and
/// checksum, the oldest beyond `backup.keep` removed. A failure is logged once until a backup
/// succeeds again and shown in `STATUS=`. A damaged store is never backed up (its copy would push
/// a good backup out).
public final class BackupService: Service, Sendable {
    let store: PortDailyStore
    let live: LiveConfiguration
    let clock: any WallClock
    let logger: Logger
    private let outage = OutageLatch()
    private let state = Mutex<(lastGood: Instant?, failure: String?)>((nil, nil))
    private let taken = Counter(label: MetricName.backups)
    private let failed = Counter(label: MetricName.backupsFailed)
    private let age = Gauge(label: MetricName.lastBackupAge)

    init(store: PortDailyStore, live: LiveConfiguration, clock: any WallClock, logger: Logger) {
        (self.store, self.live, self.clock, self.logger) = (store, live, clock, logger)
    }

    /// What `STATUS=` says of backups: nil while they succeed (or none are configured).
    public var problem: String? { state.withLock { $0.failure } }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            if let settings = live.current.daemon.safety.backup {
                if isDue(settings) { _ = backUpNow() }
                recordAge()
            }
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(30)) } } catch { return }
        }
    }

    private func directory(_ settings: BackupSettings) -> String { settings.directory(forDatabase: store.path) }

    /// The last good backup: this daemon's, else the newest in the directory (from before a restart).
    private func newestBackup(_ settings: BackupSettings) -> Instant? {
        state.withLock { $0.lastGood } ?? BackupDirectory.backups(in: directory(settings)).last?.takenAt
    }

    private func isDue(_ settings: BackupSettings) -> Bool {
        guard store.damage == nil else { return false }
        guard let newest = newestBackup(settings) else { return true }
        return clock.now.millisecondsSinceEpoch - newest.millisecondsSinceEpoch >= settings.everyMilliseconds
    }

    private func recordAge() {
        guard let settings = live.current.daemon.safety.backup, let newest = newestBackup(settings) else { return }
        age.record(Double(clock.now.millisecondsSinceEpoch - newest.millisecondsSinceEpoch) / 1000)
    }

    /// Takes a backup now (when backups are configured and the store is sound); what it holds.
    @discardableResult
    public func backUpNow() -> StoreFileSummary? {
        guard let settings = live.current.daemon.safety.backup, store.damage == nil else { return nil }
        let now = clock.now
        let destination = (directory(settings) as NSString).appendingPathComponent(BackupDirectory.fileName(at: now))
        do {
            let summary = try StoreBackup.write(from: store.path, to: destination)
            let removed = try BackupDirectory.prune(directory(settings), keep: settings.keep)
            taken.increment()
            state.withLock { $0 = (now, nil) }
            recordAge()
            logger.event(.backupTaken, "store backed up", metadata: [
                "BACKUP_FILE": "\(summary.path)", "VESSELS": "\(summary.vessels)", "VOYAGES": "\(summary.voyages)",
                "REVISIONS": "\(summary.revisions)", "ACKNOWLEDGEMENTS": "\(summary.acknowledgements)",
                "CHECKSUM": "sha256:\(summary.sha256)", "BACKUPS_REMOVED": "\(removed.count)",
            ])
            if outage.succeeded() { logger.notice("backups succeed again") }
            return summary
        } catch {
            failed.increment()
            let since = newestBackup(settings).map { "last good backup \($0)" } ?? "no good backup yet"
            state.withLock { $0.failure = "backup failed (\(since)): \(error)" }
            if outage.failed() {
                logger.event(.backupFailed, level: .error, "a backup failed; retried every 30 s, logged once until one succeeds",
                             metadata: ["BACKUP_FILE": "\(destination)", "ERROR": "\(error)", "LAST_GOOD": "\(since)"])
            }
            return nil
        }
    }
}
