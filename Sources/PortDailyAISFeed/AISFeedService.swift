import Foundation
public import Logging
import NIOCore
import NIOPosix
import PortDailyAIS
public import PortDailyConfig
public import PortDailyCore
import PortDailyLogging
public import PortDailyStore
public import ServiceLifecycle
import Synchronization

/// The daemon's AIS feeds (`ais.udp`, `ais.tcp`), the batches they write, and the pruning of
/// positions past the retention. Runs until graceful shutdown, then writes what it holds.
public struct AISFeedService: Service {
    public let ingestor: AISIngestor
    let settings: AISSettings
    let store: PortDailyStore
    let clock: any WallClock
    let logger: Logger
    /// How often the queued positions are written.
    let flushInterval: Swift.Duration
    private let boundUDPPort = BoundPort()
    /// The UDP port bound (0 before, or without `ais.udp`; a test binds port 0).
    public var udpPort: Int { boundUDPPort.value.withLock { $0 } }

    public init(store: PortDailyStore, settings: AISSettings, clock: any WallClock, logger: Logger,
                flushInterval: Swift.Duration = .milliseconds(250)) {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.flushInterval = flushInterval
        ingestor = AISIngestor(store: store, settings: settings.crossCheck, clock: clock)
    }

    public func run() async throws {
        // The register's vessels before the first line is read (again at each flush if it changed).
        try? ingestor.reloadRegister()
        let group = MultiThreadedEventLoopGroup.singleton
        var udpChannel: (any Channel)?
        if let udp = settings.udp {
            let channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                // Bursts of a busy receiver wait in the socket, not in the network.
                .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)
                // Up to 64 datagrams a system call (recvmmsg); the allocator's buffer is shared out
                // among them, so it is 64 times a datagram's room (2 KiB: a receiver's batch of lines).
                .channelOption(.datagramVectorReadMessageCount, value: 64)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 64 * 2048))
                .channelInitializer { [ingestor] channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(UDPLines(ingestor: ingestor)) }
                }
                .bind(host: udp.host, port: udp.port).get()
            udpChannel = channel
            let port = channel.localAddress?.port ?? udp.port
            boundUDPPort.value.withLock { $0 = port }
            logger.info("AIS: receiving NMEA over UDP", metadata: ["LISTEN": "\(udp.host):\(port)"])
        }
        await withTaskGroup(of: Void.self) { tasks in
            for (index, feed) in settings.tcp.enumerated() {
                tasks.addTask { await TCPFeed(endpoint: feed, feed: index + 1, ingestor: ingestor, logger: logger).run() }
            }
            tasks.addTask { await flushLoop() }
            tasks.addTask { await pruneLoop() }
            try? await gracefulShutdown()
            tasks.cancelAll()
        }
        try? await udpChannel?.close()
        do { try ingestor.flush(final: true) } catch {
            logger.event(.storeError, level: .error, "AIS positions could not be written at shutdown", metadata: ["ERROR": "\(error)"])
        }
    }

    private func flushLoop() async {
        let failures = OutageLatch()
        while !Task.isCancelled {
            try? await Task.sleep(for: flushInterval)
            do {
                try ingestor.flush()
                if failures.succeeded() { logger.notice("AIS positions are written again") }
            } catch {
                if failures.failed() {
                    logger.event(.storeError, level: .error, "AIS positions cannot be written; retrying", metadata: ["ERROR": "\(error)"])
                }
            }
        }
    }

    /// Positions past the retention, once at start and then every hour.
    private func pruneLoop() async {
        while !Task.isCancelled {
            let cutoff = clock.now.adding(milliseconds: -settings.retentionMilliseconds)
            do {
                let pruned = try store.prunePositions(before: cutoff)
                if pruned > 0 { logger.info("AIS: \(pruned) positions older than the retention pruned", metadata: ["BEFORE": "\(cutoff)"]) }
            } catch {
                logger.event(.storeError, level: .error, "AIS positions could not be pruned", metadata: ["ERROR": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}

/// One datagram, one or more whole lines (a receiver never splits a sentence across datagrams).
/// The sender's address keeps fragments of different receivers apart.
final class UDPLines: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let ingestor: AISIngestor

    init(ingestor: AISIngestor) { self.ingestor = ingestor }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        var hasher = Hasher()
        hasher.combine(envelope.remoteAddress.description)
        let feed = hasher.finalize()
        envelope.data.withUnsafeReadableBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == 10 {
                if index > start { ingestor.receive(UnsafeBufferPointer(rebasing: bytes[start..<index]), feed: feed) }
                start = index + 1
            }
        }
    }
}

/// A TCP feed: connected, read line by line, connected again after an outage with a growing
/// delay; the outage logged when it starts and when it ends.
struct TCPFeed {
    let endpoint: AISSettings.Endpoint
    let feed: Int
    let ingestor: AISIngestor
    let logger: Logger

    func run() async {
        var delay: Duration = .seconds(1)
        var downSince: ContinuousClock.Instant?
        while !Task.isCancelled {
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(.seconds(10))
                    .channelInitializer { [ingestor, feed] channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(TCPLines(ingestor: ingestor, feed: feed))
                        }
                    }
                    .connect(host: endpoint.host, port: endpoint.port).get()
                let outage = downSince.map { ContinuousClock.now - $0 }
                logger.event(.aisFeedUp, "AIS feed \(endpoint.description) connected", metadata: [
                    "FEED": "\(endpoint.description)", "OUTAGE_SECONDS": "\(outage.map { "\($0.components.seconds)" } ?? "")"])
                downSince = nil
                delay = .seconds(1)
                try await withTaskCancellationHandler {
                    try await channel.closeFuture.get()
                } onCancel: {
                    channel.close(promise: nil)
                }
                guard !Task.isCancelled else { return }
                downSince = .now
                logger.event(.aisFeedDown, level: .warning, "AIS feed \(endpoint.description) closed its connection; reconnecting",
                             metadata: ["FEED": "\(endpoint.description)", "ERROR": "closed by the peer"])
            } catch {
                guard !Task.isCancelled else { return }
                if downSince == nil {
                    downSince = .now
                    logger.event(.aisFeedDown, level: .warning, "AIS feed \(endpoint.description) cannot be reached; retrying",
                                 metadata: ["FEED": "\(endpoint.description)", "ERROR": "\(error)"])
                }
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(30))
        }
    }
}

final class TCPLines: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let ingestor: AISIngestor
    let feed: Int
    private var splitter = LineSplitter()

    init(ingestor: AISIngestor, feed: Int) {
        self.ingestor = ingestor
        self.feed = feed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { raw in
            splitter.feed(raw.bindMemory(to: UInt8.self)) { ingestor.receive($0, feed: feed) }
        }
    }
}

final class BoundPort: Sendable {
    let value = Mutex(0)
}
