public import HummingbirdCore
public import Logging
public import NIOCore
import NIOExtras
import NIOPosix
public import ServiceLifecycle

/// Serves HTTP on a listening socket inherited from systemd (socket activation).
///
/// HummingbirdCore's `Server` binds a host and port or a unix socket path only; this adopts an
/// already-bound descriptor with NIO's `ServerBootstrap` and hands each connection to the same
/// public child-channel setup (`HTTP1Channel`), with the same graceful shutdown: on shutdown
/// it stops accepting and lets in-flight requests finish.
public struct InheritedSocketServer<ChildChannel: ServerChildChannel>: Service {
    let childChannelSetup: ChildChannel
    let socket: InheritedSocket
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    let onServerRunning: @Sendable (any Channel) async -> Void

    public init(childChannelSetup: ChildChannel, socket: InheritedSocket, eventLoopGroup: any EventLoopGroup,
                logger: Logger, onServerRunning: @escaping @Sendable (any Channel) async -> Void) {
        self.childChannelSetup = childChannelSetup
        self.socket = socket
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    public func run() async throws {
        let quiescing = QuiescingBox(ServerQuiescingHelper(group: eventLoopGroup))
        let setup = childChannelSetup
        let logger = self.logger
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.helper.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
        let serverChannel = try await bootstrap.bind(socket.descriptor, serverBackPressureStrategy: nil) { channel in
            setup.setup(channel: channel, logger: logger)
        }
        logger.info("serving on the socket passed by systemd",
                    metadata: ["SOCKET_NAME": "\(socket.name)", "LISTEN": "\(serverChannel.channel.localAddress?.description ?? "?")"])
        await withGracefulShutdownHandler {
            await onServerRunning(serverChannel.channel)
            await withDiscardingTaskGroup { group in
                do {
                    try await serverChannel.executeThenClose { inbound in
                        for try await connection in inbound {
                            group.addTask { await setup.handle(value: connection, logger: logger) }
                        }
                    }
                } catch {
                    logger.error("accepting connections failed", metadata: ["ERROR": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            let promise = serverChannel.channel.eventLoop.makePromise(of: Void.self)
            quiescing.helper.initiateShutdown(promise: promise)
        }
    }
}

/// `ServerQuiescingHelper` is used from NIO's event loop and the shutdown handler; its own
/// methods synchronise on the event loop, so sharing the reference is safe.
private final class QuiescingBox: @unchecked Sendable {
    let helper: ServerQuiescingHelper
    init(_ helper: ServerQuiescingHelper) { self.helper = helper }
}
