import Synchronization

/// Failed console sign-ins per user name and per client address in a sliding window; past the
/// limit, further attempts are refused until the oldest failure leaves the window. Time is passed
/// in (milliseconds), so a test drives it. Kept in memory: a restart forgets the failures, which
/// costs a guesser nothing it did not have (bcrypt still makes each guess slow).
final class SignInLimiter: Sendable {
    struct Limits: Sendable, Equatable {
        let perUser: Int
        let perAddress: Int
        let windowMilliseconds: Int64
    }

    private struct State {
        var failures: [String: [Int64]] = [:]
        /// Keys told about in the journal in their current episode (once per episode).
        var reported: Set<String> = []
    }

    /// The most keys kept: beyond it the ones with the oldest last failure go (a flood of made-up
    /// names cannot grow memory without bound).
    static let maximumKeys = 50_000
    private let state = Mutex(State())

    /// Seconds until an attempt by `user` from `address` may be made, or nil when it may now;
    /// `firstOfEpisode` is true the first time a key is refused since it was last under its limit.
    func refusal(user: String, address: String?, limits: Limits, now: Int64) -> (retryAfter: Int, firstOfEpisode: Bool)? {
        state.withLock { state in
            var wait: Int64 = 0
            var first = false
            for (key, limit) in Self.keys(user: user, address: address, limits: limits) {
                let recent = (state.failures[key] ?? []).filter { now - $0 < limits.windowMilliseconds }
                state.failures[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit {
                    wait = max(wait, recent[recent.count - limit] + limits.windowMilliseconds - now)
                    if state.reported.insert(key).inserted { first = true }
                } else {
                    state.reported.remove(key)
                }
            }
            return wait > 0 ? (Int((wait + 999) / 1000), first) : nil
        }
    }

    func failed(user: String, address: String?, limits: Limits, now: Int64) {
        state.withLock { state in
            for (key, _) in Self.keys(user: user, address: address, limits: limits) { state.failures[key, default: []].append(now) }
            if state.failures.count > Self.maximumKeys {
                let oldest = state.failures.sorted { ($0.value.last ?? 0) < ($1.value.last ?? 0) }.prefix(state.failures.count / 10)
                for (key, _) in oldest { state.failures[key] = nil }
            }
        }
    }

    /// A successful sign-in clears the user's failures (not the address's: one right password
    /// must not reset a guesser's count for the others).
    func succeeded(user: String, limits: Limits) {
        state.withLock { state in
            state.failures["user:" + user.lowercased()] = nil
        }
    }

    private static func keys(user: String, address: String?, limits: Limits) -> [(String, Int)] {
        var keys = [("user:" + user.lowercased(), limits.perUser)]
        if let address { keys.append(("address:" + address, limits.perAddress)) }
        return keys
    }
}
