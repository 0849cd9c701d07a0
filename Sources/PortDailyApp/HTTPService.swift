import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import PortDailyHTTP
import PortDailyTLS
import ServiceLifecycle
import Synchronization
import SystemdSupport

/// Where the HTTP server listens.
enum ListenTarget: Sendable, CustomStringConvertible {
    case address(host: String, port: Int)
    case inherited(InheritedSocket)

    var description: String {
        switch self {
        case .address(let host, let port): return "\(host):\(port)"
        case .inherited(let socket): return "systemd socket '\(socket.name)' (fd \(socket.descriptor))"
        }
    }
}

/// The HTTP server: the router's responder behind Hummingbird's HTTP/1 channel, listening on
/// the configured address (HummingbirdCore's `Server`) or on the socket systemd passed
/// (``InheritedSocketServer``). Both stop accepting on graceful shutdown and let in-flight
/// requests finish.
struct HTTPService<Responder: HTTPResponder>: Service where Responder.Context == AppRequestContext {
    let responder: Responder
    let target: ListenTarget
    let idleTimeout: Duration
    /// TLS on every connection (nil: plain HTTP).
    let tls: ServerTLS?
    /// Added to every connection (the cap on open connections).
    let channelHandlers: @Sendable () -> [any RemovableChannelHandler]
    let logger: Logger
    let onServerRunning: @Sendable (any Channel) async -> Void

    func run() async throws {
        let responder = self.responder
        let logger = self.logger
        let dates = HTTPDateCache()
        let channel = HTTP1Channel(
            responder: { request, writer, channel in
                let context = AppRequestContext(source: .init(channel: channel, logger: logger))
                var response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch {
                    logger.debug("unhandled error", metadata: ["ERROR": "\(type(of: error))"])
                    response = Response(status: .internalServerError)
                }
                response.headers[.date] = dates.now()
                try await writer.write(response: response.head, body: response.body)
            },
            configuration: .init(additionalChannelHandlers: channelHandlers(),
                                 idleTimeout: .nanoseconds(Int64(idleTimeout.components.seconds) * 1_000_000_000)))
        if let tls {
            try await serve(TLSServerChannel(channel, tls: tls))
        } else {
            try await serve(channel)
        }
    }

    private func serve(_ channel: some ServerChildChannel) async throws {
        switch target {
        case .address(let host, let port):
            let server = Server(childChannelSetup: channel,
                                configuration: ServerConfiguration(address: .hostname(host, port: port)),
                                onServerRunning: onServerRunning, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                                logger: logger)
            try await server.run()
        case .inherited(let socket):
            try await InheritedSocketServer(childChannelSetup: channel, socket: socket,
                                            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger,
                                            onServerRunning: onServerRunning).run()
        }
    }
}

/// The `Date` header value, formatted once per second.
final class HTTPDateCache: Sendable {
    private let cache = Mutex<(second: Int, text: String)>((-1, ""))

    func now() -> String {
        let second = Int(Date().timeIntervalSince1970)
        return cache.withLock { entry in
            if entry.second != second { entry = (second, Self.format(second)) }
            return entry.text
        }
    }

    static func format(_ second: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(second)))
    }
}
