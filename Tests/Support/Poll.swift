import Foundation

/// Waiting in tests by polling with a deadline, never by sleeping and hoping.
public enum Poll {
    /// Whether `condition` came true within `seconds` (polled every `interval`).
    public static func until(_ seconds: Double, interval: Duration = .milliseconds(20),
                             _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: interval)
        }
        return try await condition()
    }

    /// Whether `condition` held at every poll for `seconds`: a check that something does not
    /// happen, which fails at the first poll that sees it happen.
    public static func holds(for seconds: Double, interval: Duration = .milliseconds(20),
                             _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            guard try await condition() else { return false }
            try? await Task.sleep(for: interval)
        }
        return try await condition()
    }

    /// The same two, for tests on threads (blocking).
    public static func untilBlocking(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try condition()
    }

    public static func holdsBlocking(for seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard try condition() else { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try condition()
    }
}
