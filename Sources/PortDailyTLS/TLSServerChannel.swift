public import HummingbirdCore
public import Logging
public import NIOCore
import NIOSSL

/// TLS before the HTTP channel on every accepted connection, with the context in force when it
/// is accepted. Hand-written because HummingbirdTLS's `TLSChannel` fixes its context when built,
/// and a reload must give new connections a renewed certificate without a restart.
public struct TLSServerChannel<Base: ServerChildChannel>: ServerChildChannel {
    public typealias Value = Base.Value
    let base: Base
    let tls: ServerTLS

    public init(_ base: Base, tls: ServerTLS) {
        self.base = base
        self.tls = tls
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let context = tls.context
        return channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(PlaintextRefusal())
            try pipeline.addHandler(NIOSSLServerHandler(context: context))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    public func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// On the TLS port, a client that speaks plain HTTP gets a plain `400` saying to use `https://`
/// and the connection is closed, instead of a failed handshake it cannot read. Every TLS
/// connection opens with a handshake record (content type 22); this handler looks at the first
/// byte only and then takes itself out of the pipeline.
final class PlaintextRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    static let handshakeRecord: UInt8 = 0x16

    static let refusal: String = {
        let body = "This port speaks HTTPS only: use https:// (the request was not read).\n"
        return "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n" + body
    }()

    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let bytes = unwrapInboundIn(data)
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return }
        if first == Self.handshakeRecord {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        refused = true
        // Below the TLS handler, so this answer goes out unencrypted, as the client spoke.
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: Self.refusal))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }
}
