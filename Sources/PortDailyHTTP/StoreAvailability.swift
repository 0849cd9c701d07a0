import Logging
import Metrics
import PortDailyLogging
import Synchronization

/// Whether the store accepted its last write. A failure is logged once when writes start
/// failing (disk full, read-only file) and once when they succeed again, never per request.
public final class StoreAvailability: Sendable {
    private let failing = Mutex(false)

    public init() {}

    func failed(_ error: any Error, logger: Logger) {
        Counter(label: "portdaily_store_errors_total").increment()
        let first = failing.withLock { state in
            defer { state = true }
            return !state
        }
        if first {
            logger.event(.storeError, level: .error, "the store cannot write; submissions get 503 until it can",
                         metadata: ["ERROR": "\(error)"])
        }
    }

    func succeeded(logger: Logger) {
        let recovered = failing.withLock { state in
            defer { state = false }
            return state
        }
        if recovered { logger.notice("the store writes again; submissions are accepted") }
    }
}
