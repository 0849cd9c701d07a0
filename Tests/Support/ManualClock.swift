public import PortDailyCore
import Synchronization

/// A wall clock the test sets: "today", "due" and "late" are what the test says, at any hour.
public final class ManualClock: WallClock {
    private let instant: Mutex<Instant>

    public init(_ start: Instant) { instant = Mutex(start) }

    public var now: Instant { instant.withLock { $0 } }

    public func set(_ new: Instant) { instant.withLock { $0 = new } }

    public func advance(milliseconds: Int64) { instant.withLock { $0 = $0.adding(milliseconds: milliseconds) } }
}

/// Monotonic time the test steps (the journal's entry budgets count their seconds in it).
public final class ManualMonotonicClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    public init() {}

    public var now: ContinuousClock.Instant { instant.withLock { $0 } }

    public func advance(milliseconds: Int64) { instant.withLock { $0 = $0 + .milliseconds(milliseconds) } }
}
