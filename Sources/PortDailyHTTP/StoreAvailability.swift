import Hummingbird
import Logging
import Metrics
import PortDailyConfig
import PortDailyLogging
import PortDailyStore
import Synchronization

/// Whether the store accepted its last write. A failure is logged once when writes start
/// failing (disk full, read-only file) and once when they succeed again, never per request.
public final class StoreAvailability: Sendable {
    private let outage = OutageLatch()
    private let lastReopen = Mutex<ContinuousClock.Instant?>(nil)

    public init() {}

    /// What the admin's page shows: nil while writes succeed.
    package var currentOutage: String? { outage.isFailing ? "the store cannot write; submissions get 503" : nil }

    /// The answer to a write the store cannot take now.
    static let unavailable = Problem(.serviceUnavailable, detail: "the store cannot write right now; nothing was stored",
                                     retryAfter: APILimits.storeRetryAfterSeconds)

    /// A store opened read-only is tried for writing again, at most once a second, before a write.
    func reopenIfDue(_ store: PortDailyStore, logger: Logger) {
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

/// Before a write (any method but GET and HEAD), gives a store opened read-only a chance to
/// become writable again.
struct StoreReopenMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: PortDailyStore
    let availability: StoreAvailability

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method != .get, request.method != .head { availability.reopenIfDue(store, logger: context.logger) }
        return try await next(request, context)
    }
}
