public import Hummingbird
import PortDailyCore
public import PortDailyStore

/// Requires `Authorization: Bearer <token>` and sets the caller. The token is looked up on every
/// request, so a revocation takes effect at once. Tokens are never logged.
public struct TokenAuthenticator: RouterMiddleware {
    public typealias Context = AppRequestContext
    let store: PortDailyStore

    public init(store: PortDailyStore) { self.store = store }

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw Problem(.unauthorized, detail: "a bearer token is required (Authorization: Bearer …)")
        }
        let secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard secret.count <= 256, let caller = try store.caller(forSecret: secret) else {
            throw Problem(.unauthorized, detail: "the token is unknown or revoked")
        }
        var context = context
        context.caller = caller
        return try await next(request, context)
    }
}

extension Problem {
    /// 403 for a role that may not use an endpoint at all.
    static func forbidden(_ caller: Caller, _ what: String) -> Problem {
        Problem(.forbidden, detail: "a \(caller.role) token cannot \(what)")
    }

    static func notFound(_ what: String) -> Problem { Problem(.notFound, detail: "no \(what) visible to this token") }
}
