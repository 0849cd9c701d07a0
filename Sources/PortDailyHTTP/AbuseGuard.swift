package import Hummingbird
import Logging
import Metrics
package import PortDailyConfig
import PortDailyLogging
package import Synchronization

/// The limits on abuse (`http.rateLimits`, `http.maxInFlight`), shared by the routes: token
/// buckets per API token and per client address, bad tokens per address, and the requests in
/// flight. Each is checked before the route reads the body. Time is a monotonic clock the tests
/// step.
package final class AbuseGuard: Sendable {
    let configuration: LiveConfiguration
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let origin: ContinuousClock.Instant
    let tokens = RateLimiter()
    let addresses = RateLimiter()
    let badTokens = BadTokenWindow()
    /// Requests being answered now (a test sets it to stand for a busy daemon).
    package let inFlight = Atomic<Int>(0)
    let limitedByToken = Counter(label: MetricName.rateLimited, dimensions: [("by", "token")])
    let limitedByAddress = Counter(label: MetricName.rateLimited, dimensions: [("by", "address")])
    let limitedForBadTokens = Counter(label: MetricName.rateLimited, dimensions: [("by", "bad_tokens")])
    let shed = Counter(label: MetricName.requestsShed)

    package init(configuration: LiveConfiguration, clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.configuration = configuration
        self.clock = clock
        origin = clock()
    }

    var limits: AbuseLimits { configuration.current.daemon.abuse }

    /// Milliseconds since the guard was made, on its clock.
    var now: Int64 {
        let elapsed = (clock() - origin).components
        return elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
    }

    /// 429 unless a request with valid token `id` may go now, at `limit` (the token's own) or
    /// the configured `perToken`.
    func admit(tokenID id: Int64, limit own: BucketLimit? = nil) throws {
        let limit = own ?? limits.perToken
        if let wait = tokens.admit(String(id), limit: limit, now: now) {
            limitedByToken.increment()
            throw Self.tooMany("this token's rate limit (\(Self.rate(limit))) is reached", retryAfter: wait)
        }
    }

    /// 429 unless a request from `context`'s address without a valid token may go now (the
    /// caller asked ``refuseIfGuessing(_:logger:)`` first).
    func admitWithoutToken(_ context: AppRequestContext) throws {
        if let wait = addresses.admit(context.clientLabel, limit: limits.perAddress, now: now) {
            limitedByAddress.increment()
            throw Self.tooMany("the rate limit for requests without a valid token (\(Self.rate(limits.perAddress))) is reached",
                               retryAfter: wait)
        }
    }

    /// 429 while `address` is refused for the bad tokens it sent; logged once an episode.
    func refuseIfGuessing(_ address: String, logger: Logger) throws {
        let limits = self.limits
        guard let (wait, first) = badTokens.refusal(address, limit: limits.badTokensPerAddress,
                                                    window: limits.badTokenWindowMilliseconds, now: now) else { return }
        limitedForBadTokens.increment()
        if first {
            logger.event(.badTokensLimited, level: .warning,
                         "requests refused after \(limits.badTokensPerAddress) bad tokens from one address",
                         metadata: [LogField.clientAddress: "\(address)", "RETRY_AFTER": "\(wait)"])
        }
        throw Self.tooMany("too many bad tokens from this address; try again later", retryAfter: wait)
    }

    /// Records a bad token from `context`'s address; whether its answer is to be slowed (past
    /// half of the allowance).
    func badToken(_ context: AppRequestContext) -> Bool {
        let limits = self.limits
        let count = badTokens.failed(context.clientLabel, window: limits.badTokenWindowMilliseconds, now: now)
        return count > limits.badTokensPerAddress / 2
    }

    static func tooMany(_ detail: String, retryAfter: Int) -> Problem {
        Problem(.tooManyRequests, detail: detail, retryAfter: retryAfter)
    }

    static func rate(_ limit: BucketLimit) -> String {
        "\(limit.perSecond.formatted()) a second, \(limit.burst) at once"
    }
}

extension Double {
    fileprivate func formatted() -> String {
        rounded() == self ? String(Int(self)) : String(self)
    }
}

extension AbuseGuard {
    /// Holds a refusal of these limits for `http.rateLimits.refusalDelay` before it is sent,
    /// outside the requests in flight (see ``AbuseLimits/refusalDelayMilliseconds``).
    package func holdRefusal(_ context: AppRequestContext) async {
        let delay = limits.refusalDelayMilliseconds
        guard delay > 0 else { return }
        context.inFlight?.release()
        try? await Task.sleep(for: .milliseconds(delay))
    }
}

/// A request's place among those in flight, given back once: when it is answered, or before it
/// waits out a held refusal (which must not take the places of requests being served).
package final class InFlightTicket: Sendable {
    private let guardian: AbuseGuard
    private let held = Atomic<Bool>(true)

    init(_ guardian: AbuseGuard) { self.guardian = guardian }

    func release() {
        if held.exchange(false, ordering: .relaxed) { guardian.inFlight.subtract(1, ordering: .relaxed) }
    }
}

/// Answers 503 beyond `http.maxInFlight` requests being answered at once. Submissions and other
/// writes may take three quarters of it, so that a flood of them leaves room for reads; `/healthz`
/// is never refused.
package struct LoadShedding: RouterMiddleware {
    package typealias Context = AppRequestContext
    let guardian: AbuseGuard

    package init(guardian: AbuseGuard) { self.guardian = guardian }

    package func handle(_ request: Request, context: AppRequestContext,
                next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        let limit = guardian.limits.maxInFlight
        let allowed = request.method == .get || request.method == .head ? limit : limit * 3 / 4
        let current = guardian.inFlight.add(1, ordering: .relaxed).newValue
        let ticket = InFlightTicket(guardian)
        defer { ticket.release() }
        guard current <= allowed else {
            guardian.shed.increment()
            throw Problem(.serviceUnavailable, detail: "the service is answering as many requests as it may (\(allowed)); retry shortly",
                          retryAfter: 1)
        }
        var context = context
        context.inFlight = ticket
        return try await next(request, context)
    }
}
