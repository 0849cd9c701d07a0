import Foundation

/// The wall clock, read only at the edges (commands, request handlers, services) and passed
/// into the logic as an ``Instant``, so the logic stays testable with any time.
public enum SystemClock {
    public static var now: Instant {
        Instant(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
