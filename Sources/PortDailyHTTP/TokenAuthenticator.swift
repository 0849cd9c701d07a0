import Hummingbird
import PortDailyConfig
import PortDailyCore
import PortDailyLogging
import PortDailyStore

/// Requires `Authorization: Bearer <token>` and sets the caller. The token is checked on every
/// request against the store's tokens as of that request (``PortDailyStore/checkToken(_:at:now:)``),
/// so a revocation takes effect at once; an expired token is told so. Its use is recorded (at most
/// once a minute a token, after the answer's work, off the request's path). Tokens are never logged.
///
/// The limits on abuse (``AbuseGuard``): an address refused for bad tokens gets 429 before its
/// token is looked at; a valid token's bucket (its own rate, or the configured one) is checked
/// once it is known; a request without a valid token counts against its address's bucket; past
/// half of an address's allowance of bad tokens, each bad one is answered a second late. Every
/// 429 is held `http.rateLimits.refusalDelay` outside the requests in flight.
struct TokenAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: PortDailyStore
    let clock: any WallClock
    let guardian: AbuseGuard
    let clientCertificates: any ClientCertificateLookup

    func handle(_ request: Request, context: AppRequestContext,
                next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let secret = Self.bearerSecret(request)
        try await holdingRefusals(context) {
            try guardian.refuseIfGuessing(context.clientLabel, logger: context.logger)
            if secret == nil { try guardian.admitWithoutToken(context) }
        }
        guard let secret else {
            throw Problem(.unauthorized, detail: "a bearer token is required (Authorization: Bearer …)")
        }
        let versions = try store.versions()
        let now = clock.now
        switch try store.checkToken(secret, at: versions, now: now) {
        case .unknown:
            try await badToken(context)
            throw Problem(.unauthorized, detail: "the token is unknown or revoked")
        case .expired(let expiry):
            try await badToken(context)
            throw Problem(.unauthorized, detail: "the token expired at \(expiry); ask an administrator for a new one")
        case .valid(let caller, let tokenID, let name, let clientSubject, let rate):
            // The token's bucket, at its own rate if it has one. (Checked after the look-up: a
            // refusal is held a second, so a flood past its limit makes few look-ups.)
            try await holdingRefusals(context) {
                try guardian.admit(tokenID: tokenID, limit: rate.map { BucketLimit(perSecond: $0.perSecond, burst: $0.burst) })
            }
            if let bound = clientSubject, await clientCertificates.subject(of: context.channel) != bound {
                try await badToken(context)
                throw Problem(.unauthorized, detail: "the token is bound to a client certificate this connection did not present")
            }
            if store.tokenUseIsDue(id: tokenID, now: now) {
                let store = self.store
                // A failed record (a read-only or damaged store) changes nothing the caller asked for.
                Task.detached { try? store.recordTokenUse(id: tokenID, now: now) }
            }
            var context = context
            context.principal = .caller(caller)
            context.storeVersions = versions
            context.attribute(to: ActorLabel.token(id: tokenID, name: name))
            return try await next(request, context)
        }
    }
}

extension TokenAuthenticator {
    /// A token that is no good (unknown, revoked, expired): counted against its address's
    /// requests without a valid token and its bad tokens, and answered a second late past half
    /// of those.
    private func badToken(_ context: AppRequestContext) async throws {
        try await holdingRefusals(context) { try guardian.admitWithoutToken(context) }
        if guardian.badToken(context) {
            context.inFlight?.release()
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Runs the guard's `checks`; a refusal they throw is held (``AbuseGuard/holdRefusal(_:)``) before it goes on.
    private func holdingRefusals(_ context: AppRequestContext, _ checks: () throws -> Void) async throws {
        do { try checks() } catch {
            await guardian.holdRefusal(context)
            throw error
        }
    }

    /// The secret of an `Authorization: Bearer …` header, if there is a plausible one.
    static func bearerSecret(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.hasCaseInsensitivePrefix("bearer ") else { return nil }
        let secret = header.dropFirst(7).trimmingOWS
        return secret.isEmpty || secret.utf8.count > 256 ? nil : String(secret)
    }
}
