public import Hummingbird
public import NIOCore
import PortDailyLogging
public import PortDailyCore
public import PortDailyStore

/// The request context of every route: Hummingbird's core storage, the peer's address (for
/// loopback-only endpoints) and, once authenticated, the principal the scope policy judges.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Whether the client connected over loopback (127.0.0.0/8, ::1, or a unix socket); behind a
    /// trusted proxy, whether the client it forwards for did (``ForwardedClient``).
    public internal(set) var fromLoopback: Bool
    /// Set by ``TokenAuthenticator`` from a valid bearer token (or by ``MetricsAccess``).
    public var principal: Principal = .anonymous
    /// The store's register and token versions, as ``TokenAuthenticator`` read them: the route
    /// takes the register at the same versions instead of reading them again.
    public var storeVersions: StoreVersions?
    /// The console session the request came with (set by the console's session authenticator).
    public var session: ConsoleSession?
    /// The console page's language code, as the console chose it.
    public var consoleLanguage: String?
    /// The client's address as the socket reports it, or as a trusted proxy forwards it (for the
    /// per-address limits, the console's sign-in limits and the journal).
    public internal(set) var clientAddress: String?
    /// The connection (for the client certificate of a TLS connection).
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        fromLoopback = Self.isLoopback(source.channel.remoteAddress)
        clientAddress = source.channel.remoteAddress?.ipAddress
        channel = source.channel
    }

    /// The client as the journal and the per-address limits name it: its address, or `local`
    /// for a client without one (a unix socket's).
    public var clientLabel: String { clientAddress ?? "local" }

    /// Its place among the requests in flight (``LoadShedding``), given back early by a held refusal.
    package var inFlight: InFlightTicket?

    /// Who made the request (``ActorLabel``), once authenticated.
    public private(set) var actorName: String?

    /// Who the audit trail names for a write this request makes, and from where.
    public var auditActor: AuditActor { AuditActor(name: actorName ?? "anonymous", address: clientAddress) }

    /// Names who made the request (``ActorLabel``), and from where, in every entry it logs and in
    /// the audit trail.
    package mutating func attribute(to actor: String) {
        actorName = actor
        logger[metadataKey: LogField.actor] = "\(actor)"
        logger[metadataKey: LogField.clientAddress] = "\(clientLabel)"
    }

    /// Bodies are collected explicitly, with the limits of `APILimits` (`Request.collectBody(upTo:)`).
    public var maxUploadSize: Int { 1 << 30 }

    /// An address as text (a forwarded client's).
    static func isLoopback(text address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        switch address {
        case .v4(let v4): return v4.address.sin_addr.s_addr & 0x0000_00FF == 127  // network byte order
        case .v6: return address?.ipAddress.map(isLoopback(text:)) ?? false
        case .unixDomainSocket: return true
        case nil: return false
        }
    }
}
