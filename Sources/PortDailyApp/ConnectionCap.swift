import Metrics
import NIOCore
import PortDailyConfig
import PortDailyLogging
import Synchronization

/// The connections open at once (`http.maxConnections`): past the cap, a new connection is closed
/// as soon as it is set up, before any request on it is read, so a flood of idle connections
/// cannot take the daemon's descriptors and memory. One handler a connection, counting itself in
/// and out.
final class ConnectionCap: Sendable {
    let live: LiveConfiguration
    let open = Atomic<Int>(0)
    let refused = Counter(label: MetricName.connectionsRefused)

    init(live: LiveConfiguration) { self.live = live }

    /// The handlers of one new connection.
    func handlers() -> [any RemovableChannelHandler] { [Counted(cap: self)] }

    /// Counts its connection while it is open; closes it at once past the cap.
    final class Counted: ChannelInboundHandler, RemovableChannelHandler {
        // Reads pass through untouched (the default channelRead forwards them).
        typealias InboundIn = Never
        let cap: ConnectionCap

        init(cap: ConnectionCap) { self.cap = cap }

        // NIO calls handlerRemoved once for each handlerAdded: the pair counts the connection.
        func handlerAdded(context: ChannelHandlerContext) {
            let open = cap.open.add(1, ordering: .relaxed).newValue
            if open > cap.live.current.daemon.abuse.maxConnections {
                cap.refused.increment()
                context.close(promise: nil)
            }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            cap.open.subtract(1, ordering: .relaxed)
        }
    }
}
