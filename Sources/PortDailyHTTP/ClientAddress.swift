import Hummingbird
import HTTPTypes
public import NIOCore
import PortDailyConfig

/// The subject of the client certificate a connection presented (mutual TLS), for tokens bound to
/// one. The daemon's TLS listener provides it; without TLS there is none.
public protocol ClientCertificateLookup: Sendable {
    func subject(of channel: any Channel) async -> String?
}

/// No TLS: no connection presents a certificate.
public struct NoClientCertificates: ClientCertificateLookup {
    public init() {}
    public func subject(of channel: any Channel) async -> String? { nil }
}

/// Behind a reverse proxy, the client is the one the proxy names in `X-Forwarded-For`, believed
/// only from the configured `http.trustedProxies`: the rightmost address there that is not itself
/// a trusted proxy. Every later check (the per-address limits, sign-in limits, loopback-only
/// metrics, the journal's CLIENT_ADDRESS) then sees that client. A loopback peer that is not a
/// trusted proxy but forwards for someone loses its loopback standing: an unconfigured proxy on
/// the same host must not make every remote client local.
struct ForwardedClient: RouterMiddleware {
    typealias Context = AppRequestContext
    let configuration: LiveConfiguration

    func handle(_ request: Request, context: AppRequestContext,
                next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        // Most requests carry none: answered without collecting the header's values.
        guard request.headers.contains(.xForwardedFor) else { return try await next(request, context) }
        let forwarded = request.headers[values: .xForwardedFor]
        var context = context
        let proxies = configuration.current.daemon.trustedProxies
        guard let peer = context.clientAddress, proxies.contains(peer) else {
            context.fromLoopback = false
            return try await next(request, context)
        }
        let hops = forwarded.flatMap { $0.split(separator: ",") }.map { String($0.trimmingOWS) }
        var client: String? = nil
        for hop in hops.reversed() {
            guard let address = IPAddressText.normalized(Self.bare(hop)) else {
                throw Problem(.badRequest, detail: "X-Forwarded-For from the trusted proxy \(peer) holds '\(hop)', not an address")
            }
            client = address
            if !proxies.contains(address) { break }
        }
        if let client {
            context.clientAddress = client
            context.fromLoopback = AppRequestContext.isLoopback(text: client)
        }
        return try await next(request, context)
    }

    /// An entry without the port or brackets some proxies add (`[2001:db8::1]:443`, `192.0.2.1:80`).
    static func bare(_ hop: String) -> String {
        if hop.hasPrefix("["), let close = hop.firstIndex(of: "]") { return String(hop[hop.index(after: hop.startIndex)..<close]) }
        if hop.filter({ $0 == ":" }).count == 1, let colon = hop.firstIndex(of: ":") { return String(hop[..<colon]) }
        return hop
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
