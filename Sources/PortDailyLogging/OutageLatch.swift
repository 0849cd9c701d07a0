import Synchronization

/// Whether something keeps failing (the store, the sealer), so that an outage is logged when it
/// starts and when it ends, never at every failed attempt in between.
public final class OutageLatch: Sendable {
    private let failing = Mutex(false)

    public init() {}

    /// Records a failure; whether it starts an outage.
    public func failed() -> Bool { failing.withLock { state in defer { state = true }; return !state } }

    /// Whether an outage is going on.
    public var isFailing: Bool { failing.withLock { $0 } }

    /// Records a success; whether it ends an outage.
    public func succeeded() -> Bool { failing.withLock { state in defer { state = false }; return state } }
}
