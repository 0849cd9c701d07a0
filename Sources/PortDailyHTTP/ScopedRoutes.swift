public import Hummingbird
public import PortDailyCore
import Synchronization

/// One route as registered: its method, its path as the router spells it, and the action the
/// scope policy judges it by.
public struct RouteDeclaration: Sendable, Hashable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    public let path: String
    public let action: Action

    public var description: String { "\(method.rawValue) \(path) (\(action.rawValue))" }
}

/// Every route registered through ``ScopedRoutes``, in order: a test checks the router has no
/// other (a route added around the policy would be a leak waiting to happen).
public final class RouteLedger: Sendable {
    private let entries = Mutex<[RouteDeclaration]>([])

    public init() {}

    public var routes: [RouteDeclaration] { entries.withLock { $0 } }

    package func record(_ route: RouteDeclaration) { entries.withLock { $0.append(route) } }
}

/// Adds routes whose handlers run only once ``ScopePolicy`` permitted the request's principal,
/// and get the ``Scope`` it decided (401 or 403 otherwise, before the handler sees anything).
package struct ScopedRoutes<Methods: RouterMethods<AppRequestContext>> {
    let methods: Methods
    /// The group's path, for the ledger (the router joins it with each route's).
    let prefix: String
    let ledger: RouteLedger
    /// What a refusal is thrown as: a problem document for the API; the console redirects to
    /// its sign-in page instead.
    let refusal: @Sendable (ScopeRefusal) -> any Error

    package init(methods: Methods, prefix: String, ledger: RouteLedger,
                 refusal: @escaping @Sendable (ScopeRefusal) -> any Error = { Problem($0) }) {
        self.methods = methods
        self.prefix = prefix
        self.ledger = ledger
        self.refusal = refusal
    }

    package typealias Handler = @Sendable (Request, AppRequestContext, Scope) async throws -> Response

    package func get(_ path: String, _ action: Action, _ handler: @escaping Handler) { on(.get, path, action, handler) }
    package func post(_ path: String, _ action: Action, _ handler: @escaping Handler) { on(.post, path, action, handler) }
    package func put(_ path: String, _ action: Action, _ handler: @escaping Handler) { on(.put, path, action, handler) }
    package func delete(_ path: String, _ action: Action, _ handler: @escaping Handler) { on(.delete, path, action, handler) }

    package func on(_ method: HTTPRequest.Method, _ path: String, _ action: Action, _ handler: @escaping Handler) {
        let full = prefix.isEmpty ? path : path.isEmpty ? prefix : "\(prefix)/\(path)"
        ledger.record(RouteDeclaration(method: method, path: full, action: action))
        let refusal = self.refusal
        // An operation of the OpenAPI document takes the query parameters it names and no other.
        let allowed = DocumentedParameters.query[DocumentedParameters.key(method, full)]
        methods.on(RouterPath(path), method: method) { request, context in
            switch ScopePolicy.scope(context.principal, action) {
            case .success(let scope):
                if let allowed { try DocumentedParameters.refuseUndocumented(request, allowed: allowed) }
                return try await handler(request, context, scope)
            case .failure(let refused): throw refusal(refused)
            }
        }
    }
}

extension Problem {
    /// 401 for a request that needs credentials, 403 for a role that may not do it at all.
    init(_ refusal: ScopeRefusal) {
        switch refusal {
        case .unauthenticated(.readMetrics):
            self.init(.unauthorized, detail: "metrics need an admin token (or a loopback client)")
        case .unauthenticated:
            self.init(.unauthorized, detail: "a bearer token is required (Authorization: Bearer …)")
        case .forbidden(let caller, let action):
            self.init(.forbidden, detail: "a \(caller.role) token cannot \(action.refusal)")
        }
    }

    static func notFound(_ what: String) -> Problem { Problem(.notFound, detail: "no \(what) visible to this token") }
}
