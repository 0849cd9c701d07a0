import Foundation
import Logging
import Metrics
import PortDailyConfig
import PortDailyCore
import PortDailyLogging
import PortDailyStore
import Synchronization
import SystemdSupport

/// The log level in force, changed on reload; every handler consults it.
final class LogLevelControl: Sendable {
    private let level: Mutex<Logger.Level>
    init(_ level: Logger.Level) { self.level = Mutex(level) }
    var current: Logger.Level { level.withLock { $0 } }
    func set(_ new: Logger.Level) { level.withLock { $0 = new } }
}

/// Wraps a handler so its level follows ``LogLevelControl``.
struct ControlledLevelHandler: LogHandler {
    var wrapped: any LogHandler
    let control: LogLevelControl

    var logLevel: Logger.Level {
        get { control.current }
        set {}
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) { wrapped.log(event: event) }
}

/// Chooses journald or stderr once, at start-up.
enum LogDestination {
    static func useJournal(_ mode: JournalMode, environment: [String: String]) -> Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .auto: return JournalLogHandler.stderrIsJournal(environment: environment)
        }
    }

    static func makeHandler(label: String, journal: Bool, control: LogLevelControl) -> any LogHandler {
        let base: any LogHandler = journal
            ? JournalLogHandler(label: label, identifier: "portdailyd")
            : StreamLogHandler.standardError(label: label)
        return ControlledLevelHandler(wrapped: base, control: control)
    }
}

/// The daemon's own metrics (HTTP request counts and latency come from Hummingbird's middleware).
struct DaemonMetrics: Sendable {
    let sealRuns = Counter(label: MetricName.sealRuns)
    let storeErrors = Counter(label: MetricName.storeErrors)
    let openDays = Gauge(label: MetricName.openDays)
}

/// The live summary sent as `STATUS=`.
final class StatusReporter: Sendable {
    let store: PortDailyStore
    let live: LiveConfiguration
    let metrics: DaemonMetrics
    let clock: any WallClock
    private let failure = Mutex<String?>(nil)
    private let ready = Mutex(false)
    let notifier = SystemdNotifier()

    init(store: PortDailyStore, live: LiveConfiguration, metrics: DaemonMetrics, clock: any WallClock) {
        self.clock = clock
        self.store = store
        self.live = live
        self.metrics = metrics
    }

    /// Set while the last reload failed.
    var reloadFailure: String? {
        get { failure.withLock { $0 } }
        set { failure.withLock { $0 = newValue } }
    }

    /// READY=1 with the first status, without today's voyage count, then the whole status from
    /// a task of its own; from then on ``publish()`` sends updates. The count walks every vessel
    /// with voyages: counted before READY=1, it held a start on a store of 10^7 voyages by 30 ms,
    /// 1.1 s with the file out of memory, and the server accepts connections only once this
    /// returns. (The flag is set once READY=1 is sent: a status published meanwhile, say by the
    /// first seal check, would otherwise go out before it.)
    func markReady() {
        ready.withLock { ready in
            notifier.ready(status: text(countingToday: false))
            ready = true
        }
        Task { publish() }
    }

    /// Sends the current status, but never before READY=1 (systemd's order: READY, STATUS…, STOPPING).
    func publish(ready readyAgain: Bool = false) {
        guard ready.withLock({ $0 }) else { return }
        notifier.status(text(), ready: readyAgain)
    }

    /// What backups have to say (``BackupService/problem``), set once the application is built.
    let backupProblem = Mutex<@Sendable () -> String?>({ nil })

    func text(countingToday: Bool = true) -> String {
        let calendar = live.current.calendar
        let today = calendar.localDate(of: clock.now)
        var parts: [String] = []
        if let damage = store.damage { parts.append("STORE DAMAGED, writes refused: \(damage)") }
        if let snapshot = try? store.statusSnapshot(today: countingToday ? today : nil) {
            metrics.openDays.record(snapshot.openDays)
            parts.append(snapshot.voyagesToday.map { "\($0) voyages today" } ?? "counting today's voyages")
            parts.append("\(snapshot.openDays) open days")
            if let sealed = snapshot.sealedThrough { parts.append("sealed through \(sealed)") }
            if let run = snapshot.lastSealRun { parts.append("last seal run \(run)") }
        } else {
            parts.append("store unavailable")
        }
        if let backup = backupProblem.withLock({ $0 })() { parts.append(backup) }
        if let reloadFailure { parts.append("reload failed, previous configuration in force: \(reloadFailure)") }
        return parts.joined(separator: ", ")
    }
}
