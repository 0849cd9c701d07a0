import Foundation
import Glibc
import PortDailyAIS
import PortDailyCore
import PortDailyTestSupport
import Testing

/// `portdailyd` itself fed AIS on loopback: a receiver sending UDP datagrams, and a TCP feed that
/// hangs up halfway and is connected again; noise on both. The process is the subject here:
/// its configuration, its sockets and its services.
@Suite("portdailyd: AIS feeds over UDP and TCP")
struct AISFeedDaemonTests {
    /// Reports of op1's tug: moored in Beijiang, then moving to Dongjiang unreported, then moored.
    static func tugLines() -> [String] {
        func report(_ lon: Double, _ lat: Double, _ sog: Double, _ local: String, _ second: Int) -> [String] {
            var message = AISMessage(type: 1, mmsi: 412_000_001)
            message.lon = lon
            message.lat = lat
            message.sog = sog
            message.navStatus = sog > 1 ? 0 : 5
            let at = Fixture.instant("2026-03-02T\(local):00+08:00").adding(milliseconds: Int64(second) * 1000)
            return AISEncoder.sentences(message, receivedAt: at, source: "rx1")
        }
        var lines: [String] = []
        for minute in 0..<60 { lines += report(117.75, 39.02, 0, "09:00", minute * 60) }
        for step in 0..<120 { lines += report(117.75 + 0.1 * Double(step) / 120, 39.02 + 0.02 * Double(step) / 120, 8, "10:00", step * 15) }
        for minute in 0..<60 { lines += report(117.85, 39.04, 0, "10:31", minute * 60) }
        return lines
    }

    /// A TCP feed on loopback: the first connection gets `first` and is closed, the next gets `second`.
    final class Feed: @unchecked Sendable {  // the listening socket and the thread; read once set
        let port: Int
        private let fd: Int32

        init(first: [String], second: [String]) throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var one: Int32 = 1
            setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
            }
            guard ok, listen(listener, 4) == 0 else { throw HTTPTestError(message: "cannot listen") }
            port = Int(UInt16(bigEndian: address.sin_port))
            fd = listener
            Thread.detachNewThread {
                for lines in [first, second] {
                    let client = accept(listener, nil, nil)
                    guard client >= 0 else { return }
                    let bytes = Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
                    var sent = 0
                    while sent < bytes.count {
                        let n = bytes[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                        if n <= 0 { break }
                        sent += n
                    }
                    if lines == first { close(client) }  // the second stays open
                }
            }
        }

        deinit { close(fd) }
    }

    @Test("both feeds' positions stored once, noise and strangers counted, the hung-up feed read again; the check and the metrics show it")
    func feeds() throws {
        let lines = Self.tugLines()
        let noise = ["!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*00", "garbage \u{7}\u{1}"]
        let half = lines.count / 2
        let feed = try Feed(first: Array(lines[..<half]) + noise, second: Array(lines[half...]))
        let udp = FreePort.next()
        let d = try RunningDaemon(aisLines: ["udp: 127.0.0.1:\(udp)", "tcp: [127.0.0.1:\(feed.port)]"])

        // A second receiver heard the same transmissions and a vessel outside the register.
        var stranger = AISMessage(type: 1, mmsi: 413_999_999)
        stranger.lat = 38.9
        stranger.lon = 117.7
        stranger.sog = 3
        let strangerLines = AISEncoder.sentences(stranger, receivedAt: Fixture.instant("2026-03-02T12:00:00+08:00"))
        UDPSender.send(lines + strangerLines + noise, to: udp)

        // Thinned: a moored report a minute is kept as it is, so every line is one position.
        var positions = 0
        var kinds: [String] = []
        #expect(Poll.untilBlocking(60) {
            let answer = (try? d.request("GET", "/v1/ais/discrepancies?date=2026-03-02", token: d.tokens["admin"]))?.object ?? [:]
            let day = (answer["vesselDays"] as? [[String: Any]])?.first { $0["mmsi"] as? Int == 412_000_001 }
            positions = day?["positions"] as? Int ?? 0
            kinds = (answer["discrepancies"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            return positions >= lines.count - 1
        }, "\(positions) of \(lines.count) positions; \(d.daemon.log)")
        #expect(kinds == ["unreported-movement"])
        // Every line of both feeds counted: the TCP feed's second half comes after its reconnection.
        var metrics = ""
        func value(_ name: String) -> Double {
            metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? -1
        }
        let expected = Double(2 * lines.count + strangerLines.count + 2 * noise.count)
        #expect(Poll.untilBlocking(60) {
            metrics = (try? d.request("GET", "/metrics").text) ?? ""
            return value("portdaily_ais_lines_received_total") >= expected
        }, "\(value("portdaily_ais_lines_received_total")) of \(expected) lines; \(d.daemon.log)")
        #expect(metrics.contains("portdaily_ais_messages_dropped_total{reason=\"checksum\"} 2"), "\(metrics)")
        #expect(metrics.contains("portdaily_ais_messages_dropped_total{reason=\"not registered\"} 1"))
        #expect(metrics.contains("portdaily_ais_messages_dropped_total{reason=\"duplicate\"} \(lines.count)"))
        #expect(d.daemon.log.contains("closed its connection"), "\(d.daemon.log)")
    }
}
