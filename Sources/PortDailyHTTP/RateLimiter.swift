package import PortDailyConfig
import Synchronization

/// Token buckets by key (an API token, a client address): a key may make `burst` requests at once
/// and `perSecond` a second after that. Time is passed in (milliseconds on a monotonic clock), so
/// a property test drives it. In memory: a restart forgets the buckets, which refill in seconds.
package final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Int64
    }

    /// The most keys kept: past it, the buckets full again are forgotten (a flood of made-up
    /// addresses or tokens cannot grow memory without bound).
    package static let maximumKeys = 100_000
    private let buckets = Mutex<[String: Bucket]>([:])

    package init() {}

    /// nil when a request under `key` may go at `now` (it takes a token from the bucket); else the
    /// whole seconds until the bucket holds one again.
    package func admit(_ key: String, limit: BucketLimit, now: Int64) -> Int? {
        buckets.withLock { buckets in
            var bucket = Self.refilled(buckets[key] ?? Bucket(tokens: Double(limit.burst), updated: now), limit: limit, now: now)
            let wait: Int?
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                wait = nil
            } else {
                wait = max(1, Int(((1 - bucket.tokens) / limit.perSecond).rounded(.up)))
            }
            buckets[key] = bucket
            if buckets.count > Self.maximumKeys {
                buckets = buckets.filter { Self.refilled($0.value, limit: limit, now: now).tokens < Double(limit.burst) }
            }
            return wait
        }
    }

    /// Keys held (for the test of the bound).
    package var count: Int { buckets.withLock { $0.count } }

    private static func refilled(_ bucket: Bucket, limit: BucketLimit, now: Int64) -> Bucket {
        // A clock that went back (it should not: it is monotonic) refills nothing.
        let elapsed = max(0, now - bucket.updated)
        return Bucket(tokens: min(Double(limit.burst), bucket.tokens + Double(elapsed) * limit.perSecond / 1000),
                      updated: max(bucket.updated, now))
    }
}

/// Bad tokens by client address in a sliding window: past `limit` of them within `window`, the
/// address is refused until the oldest leaves the window. Time passed in, as above.
package final class BadTokenWindow: Sendable {
    private struct State {
        var failures: [String: [Int64]] = [:]
        /// Addresses refused in their current episode (logged once an episode).
        var refused: Set<String> = []
    }

    package static let maximumKeys = 50_000
    private let state = Mutex(State())

    package init() {}

    /// Seconds until `address` may try again, or nil when it may now; `firstOfEpisode` is true the
    /// first time it is refused since it was last under its limit.
    package func refusal(_ address: String, limit: Int, window: Int64, now: Int64) -> (retryAfter: Int, firstOfEpisode: Bool)? {
        state.withLock { state in
            let recent = (state.failures[address] ?? []).filter { now - $0 < window }
            state.failures[address] = recent.isEmpty ? nil : recent
            guard recent.count >= limit else {
                state.refused.remove(address)
                return nil
            }
            let wait = recent[recent.count - limit] + window - now
            return (max(1, Int((wait + 999) / 1000)), state.refused.insert(address).inserted)
        }
    }

    /// Records a bad token from `address` at `now`; how many it sent within the window.
    @discardableResult
    package func failed(_ address: String, window: Int64, now: Int64) -> Int {
        state.withLock { state in
            var recent = (state.failures[address] ?? []).filter { now - $0 < window }
            recent.append(now)
            state.failures[address] = recent
            if state.failures.count > Self.maximumKeys {
                state.failures = state.failures.filter { now - ($0.value.last ?? 0) < window }
            }
            return recent.count
        }
    }
}
