package import Hummingbird
public import Logging
import Metrics
import PortDailyConfig
import PortDailyLogging
public import PortDailyStore
import Synchronization

/// Whether the store accepted its last write. A failure is logged once when writes start
/// failing (disk full, read-only file) and once when they succeed again, never per request.
/// A damaged store (see ``StoreDamage``) refuses every write for good.
public final class StoreAvailability: Sendable {
    let store: PortDailyStore
    private let outage = OutageLatch()
    private let lastReopen = Mutex<ContinuousClock.Instant?>(nil)

    public init(store: PortDailyStore) { self.store = store }

    /// What the admin's page shows: nil while writes succeed.
    package var currentOutage: String? {
        if let damage = store.damage { return "the store is damaged: \(damage); nothing is written" }
        return outage.isFailing ? "the store cannot write; submissions get 503" : nil
    }

    /// The answer to a write, and to a read that failed, while the store is damaged.
    static func damaged(_ damage: StoreDamage) -> Problem {
        Problem(.serviceUnavailable, detail: "the store is damaged (\(damage.reason)); nothing was stored, and nothing "
                + "will be until an administrator restores it")
    }

    /// The answer to a failure while the store is damaged, or to one that says it is (the store is
    /// then marked damaged, and that logged once); nil otherwise.
    func damageProblem(for error: any Error, logger: Logger) -> Problem? {
        guard PortDailyStore.isDatabaseError(error) else { return nil }
        StoreDamageReport.notice(error, store: store, foundBy: "a query", logger: logger)
        // Any SQLite failure of a damaged store (one opened read-only, or not at all, fails its
        // writes and some reads for that reason) gets the damage's answer.
        return store.damage.map(Self.damaged)
    }

    /// Before a write (any method but GET and HEAD): refused while the store is damaged; a store
    /// opened read-only is given a chance to become writable again.
    package func admitWrite(_ request: Request, logger: Logger) throws {
        guard request.method != .get, request.method != .head else { return }
        if let damage = store.damage { throw Self.damaged(damage) }
        reopenIfDue(logger: logger)
    }

    /// The answer to a write the store cannot take now.
    static let unavailable = Problem(.serviceUnavailable, detail: "the store cannot write right now; nothing was stored",
                                     retryAfter: APILimits.storeRetryAfterSeconds)

    /// A store opened read-only is tried for writing again, at most once a second, before a write.
    private func reopenIfDue(logger: Logger) {
        guard store.isReadOnly else { return }
        let due = lastReopen.withLock { last in
            let now = ContinuousClock.now
            if let last, now - last < .seconds(1) { return false }
            last = now
            return true
        }
        if due, store.reopenIfWritable() { logger.notice("the store, opened read-only, can be written again") }
    }

    func failed(_ error: any Error, logger: Logger) {
        Counter(label: MetricName.storeErrors).increment()
        if outage.failed() {
            logger.event(.storeError, level: .error, "the store cannot write; submissions get 503 until it can",
                         metadata: ["ERROR": "\(error)"])
        }
    }

    func succeeded(logger: Logger) {
        if outage.succeeded() { logger.notice("the store writes again; submissions are accepted") }
    }
}

/// Before a write (any method but GET and HEAD): refuses it while the store is damaged, and gives
/// a store opened read-only a chance to become writable again.
struct StoreWriteGate<Context: RequestContext>: RouterMiddleware {
    let availability: StoreAvailability

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        try availability.admitWrite(request, logger: context.logger)
        return try await next(request, context)
    }
}

/// Marks the store damaged when an error says it is, and logs that once, at `crit`, with its
/// `MESSAGE_ID`: whoever finds the damage first (a request, the sealer, the background check).
public enum StoreDamageReport {
    /// Whether `error` says the store is damaged (then the store is marked so).
    @discardableResult
    public static func notice(_ error: any Error, store: PortDailyStore, foundBy: String, logger: Logger) -> Bool {
        guard PortDailyStore.isDamage(error) else { return false }
        record(StoreDamage(reason: PortDailyStore.damageReason(error), foundBy: foundBy), store: store, logger: logger)
        return true
    }

    /// Marks the store damaged; logs it if it was not before.
    public static func record(_ damage: StoreDamage, store: PortDailyStore, logger: Logger) {
        guard store.markDamaged(damage) else { return }
        logged(store.damage ?? damage, store: store, logger: logger)
    }

    /// Logs a damage found at opening (the store was marked then), and sets the metric.
    public static func logged(_ damage: StoreDamage, store: PortDailyStore, logger: Logger) {
        Gauge(label: MetricName.storeDamaged).record(1)
        logger.event(.storeDamaged, level: .critical,
                     "the store is damaged: nothing more is written to it; restore it from a backup (see docs/operations.md)",
                     metadata: ["DATABASE": "\(store.path)", "REASON": "\(damage.reason)", "FOUND_BY": "\(damage.foundBy)"])
    }
}
