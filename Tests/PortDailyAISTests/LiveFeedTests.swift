import Foundation
import Glibc
import Logging
import NIOCore
import NIOPosix
import PortDailyAIS
import PortDailyAISFeed
import PortDailyConfig
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import ServiceLifecycle
import Synchronization
import Testing

/// The daemon's AIS feed service on real loopback sockets: a UDP receiver sending datagrams and
/// a TCP feed that disconnects halfway.
@Suite("AIS live feeds: UDP and TCP into the store")
struct LiveFeedTests {
    /// A TCP feed that sends `first` on its first connection and closes it, then `second` on the next one (left open).
    final class FeedServer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let lines: [[String]]
        /// Shared by the handlers of all connections.
        let connections: ManagedCounter
        init(lines: [[String]], connections: ManagedCounter) {
            self.lines = lines
            self.connections = connections
        }
        func channelActive(context: ChannelHandlerContext) {
            let index = connections.next()
            guard index < lines.count else { return }
            var buffer = context.channel.allocator.buffer(capacity: 1 << 16)
            buffer.writeString(lines[index].joined(separator: "\r\n") + "\r\n")
            let last = index == lines.count - 1
            context.writeAndFlush(NIOAny(buffer)).whenComplete { [channel = context.channel] _ in
                if !last { channel.close(promise: nil) }
            }
        }
    }

    final class ManagedCounter: Sendable {
        private let value = Mutex(0)
        func next() -> Int { value.withLock { value in defer { value += 1 }; return value } }
        var count: Int { value.withLock { $0 } }
    }

    @Test("positions from both feeds stored once, garbage counted, a dropped TCP feed reconnected; the check sees the track")
    func feeds() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-feed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try PortDailyStore(path: directory.appendingPathComponent("pd.sqlite").path)
        let rules = StoreRules(setup: SyntheticFeed.setup, calendar: SyntheticFeed.calendar)
        _ = try store.upsertVessels([Vessel(mmsi: MMSI("412000001")!, name: "津港拖1号", type: "tug", operator: "op1",
                                            homeBureau: "beijiang-msa", admittedFrom: LocalDate("2026-01-01")!)],
                                    rules: rules, now: SyntheticFeed.time("00:00"))

        var feed = SyntheticFeed(mmsi: CrossCheckTests.tugMMSI)
        feed.stay("beijiang", "07:00", "08:00")
        feed.move("beijiang", "dongjiang", "08:01", "08:40")
        feed.stay("dongjiang", "08:41", "10:00")
        var stranger = SyntheticFeed(mmsi: 413_999_999)
        stranger.move("haihe", "dagang", "09:00", "09:20")
        let garbage = ["!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*00", "\u{1}\u{2}binary noise", "!AIVDM,2,1,3,B,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1F"]
        let half = feed.lines.count / 2
        let tcpLines = [Array(feed.lines[..<half]), Array(feed.lines[half...]) + garbage]
        let connections = ManagedCounter()
        // What the feeds should leave stored: the same lines through one decoder and ingest.
        var expected = PositionIngest(registered: [CrossCheckTests.tugMMSI], settings: CrossCheckSettings())
        var positions = AISFixtures.decode(lines: feed.lines, keepDuplicates: false).messages.flatMap { expected.accept($0) }
        positions += expected.flush()

        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FeedServer(lines: tcpLines, connections: connections))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let feedServer = try #require(server.localAddress?.port)
        var settings = AISSettings()
        settings.udp = .init(host: "127.0.0.1", port: 0)
        settings.tcp = [.init(host: "127.0.0.1", port: feedServer)]
        let service = AISFeedService(store: store, settings: settings, clock: SystemClock(), logger: Logger(label: "test"),
                                     flushInterval: .milliseconds(50))
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
        let running = Task { try await group.run() }

        // Deadlines of a minute: under the whole suite the process tests can hold the cooperative
        // pool for many seconds; a passing run waits no longer than it must.
        #expect(await Poll.until(60) { service.udpPort != 0 })
        // The TCP feed closes after its first half; the service connects again and gets the rest.
        let tcpTotal = tcpLines.joined().count
        #expect(await Poll.until(60) { connections.count >= 2 && service.ingestor.counts.decoder.lines >= tcpTotal },
                "\(connections.count) connections; \(service.ingestor.counts)")
        #expect(await Poll.until(60) { (try? store.positionCount()) ?? 0 >= positions.count - 1 },
                "stored \((try? store.positionCount()) ?? 0) of \(positions.count); \(service.ingestor.counts)")
        // A receiver on UDP heard the same transmissions (all duplicates), a vessel outside the register, and noise.
        UDPSender.send(feed.lines + stranger.lines + garbage, to: service.udpPort, perDatagram: 4)
        #expect(await Poll.until(60) { service.ingestor.counts.decoder.lines >= tcpTotal + feed.lines.count + stranger.lines.count + garbage.count },
                "\(service.ingestor.counts)")
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(try store.positionCount() == positions.count, "\(service.ingestor.counts)")
        let counts = service.ingestor.counts
        #expect(counts.decoder.duplicates == feed.lines.count && counts.ingest.notRegistered == stranger.lines.count, "\(counts)")
        #expect(counts.decoder.refused == [.checksum: 4, .malformed: 2], "\(counts)")

        let check = try store.aisCheck(date: CrossCheckTests.date, setup: SyntheticFeed.setup, calendar: SyntheticFeed.calendar,
                                       settings: CrossCheckSettings())
        #expect(check.count == 1 && check[0].discrepancies.map(\.kind) == [.unreportedMovement])
        #expect(check[0].discrepancies.first?.toArea == "dongjiang")
    }
}
