public import Hummingbird
import PortDailyCore
public import PortDailyStore

/// Requires `Authorization: Bearer <token>` and sets the caller. The token is checked on every
/// request against the store's tokens as of that request (``PortDailyStore/caller(forSecret:)``),
/// so a revocation takes effect at once. Tokens are never logged.
public struct TokenAuthenticator: RouterMiddleware {
    public typealias Context = AppRequestContext
    let store: PortDailyStore

    public init(store: PortDailyStore) { self.store = store }

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard let secret = Self.bearerSecret(request) else {
            throw Problem(.unauthorized, detail: "a bearer token is required (Authorization: Bearer …)")
        }
        let versions = try store.versions()
        guard let caller = try store.caller(forSecret: secret, at: versions) else {
            throw Problem(.unauthorized, detail: "the token is unknown or revoked")
        }
        var context = context
        context.principal = .caller(caller)
        context.storeVersions = versions
        return try await next(request, context)
    }
}

extension TokenAuthenticator {
    /// The secret of an `Authorization: Bearer …` header, if there is a plausible one.
    static func bearerSecret(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.hasCaseInsensitivePrefix("bearer ") else { return nil }
        let secret = header.dropFirst(7).trimmingOWS
        return secret.isEmpty || secret.utf8.count > 256 ? nil : String(secret)
    }
}
