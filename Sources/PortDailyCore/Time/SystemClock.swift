import Foundation

/// Where a handler or service reads the time. The daemon passes ``SystemClock``; tests pass a
/// clock they set, so that "today", "due" and "late" are what the test says, at any hour.
public protocol WallClock: Sendable {
    var now: Instant { get }
}

/// The wall clock, read only at the edges (commands, request handlers, services) and passed
/// into the logic as an ``Instant``, so the logic stays testable with any time.
public struct SystemClock: WallClock {
    public init() {}

    public var now: Instant { Self.now }

    public static var now: Instant {
        Instant(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
