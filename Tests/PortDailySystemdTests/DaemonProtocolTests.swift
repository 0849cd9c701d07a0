import Foundation
import Glibc
import PortDailyTestSupport
import Testing

/// A unix datagram socket standing in for systemd's notification socket.
final class NotifySocket {
    let path: String
    let fd: Int32

    init() throws {
        path = "/tmp/portdaily-notify-\(UUID().uuidString.prefix(8))"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8) + [0])
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw HarnessError(message: "bind \(path): errno \(errno)") }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The next datagram, or nil after the receive timeout.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// The next datagram that contains `text`, skipping at most `skipping` others (a status the
    /// daemon's first seal check publishes may come at any moment); nil if none does.
    func receive(containing text: String, skipping: Int = 3) -> String? {
        for _ in 0...skipping {
            guard let message = receive() else { return nil }
            if message.contains(text) { return message }
        }
        return nil
    }
}

@Suite("sd_notify and socket passing, without booting systemd", .timeLimit(.minutes(3)))
struct DaemonProtocolTests {
    static let config = CommandLineTool.repositoryRoot.appendingPathComponent("config/portdaily.yaml").path
    static let daemon = CommandLineTool.binDirectory.appendingPathComponent("portdailyd").path

    static func database() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-proto-\(UUID().uuidString)/pd.sqlite").path
    }

    @Test("NOTIFY_SOCKET: READY=1 with STATUS only after binding; RELOADING=1 then READY=1 and STATUS around a reload; STOPPING=1 last")
    func notifyOrder() throws {
        let notify = try NotifySocket()
        let port = FreePort.next()
        let daemon = try ChildProcess(Self.daemon, ["--config", Self.config, "--database", Self.database(),
                                                         "--listen", "127.0.0.1:\(port)"],
                                           environment: ["NOTIFY_SOCKET": notify.path])
        let first = try #require(notify.receive())
        #expect(first.hasPrefix("READY=1"), "\(first)")
        // Today's voyages are counted after READY=1, and said in the next status.
        #expect(first.contains("STATUS=") && first.contains("counting today's voyages"), "\(first)")
        #expect(notify.receive(containing: "0 voyages today") != nil)
        // Bound before READY: the port answers now.
        #expect(try CommandLineTool.shell("curl -s -m 5 http://127.0.0.1:\(port)/healthz").text.contains("ok"))
        daemon.signal(SIGHUP)
        #expect(notify.receive(containing: "RELOADING=1") != nil)
        let reloaded = notify.receive(containing: "READY=1") ?? ""
        #expect(reloaded.contains("READY=1") && reloaded.contains("STATUS="), "\(reloaded)")
        #expect(daemon.terminate() == 0)
        var later: [String] = []
        while let message = notify.receive() {
            later.append(message)
            if message.contains("STOPPING=1") { break }
        }
        #expect(later.last?.contains("STOPPING=1") == true, "\(later)")
        #expect(!later.contains { $0.contains("READY=1") })
    }

    @Test("a reload that changes timeZone is refused and said in STATUS; a start on a store cut in another zone exits 1")
    func timeZoneChange() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-tz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let example = try String(contentsOfFile: Self.config, encoding: .utf8)
        let config = folder.appendingPathComponent("portdaily.yaml").path
        let database = folder.appendingPathComponent("pd.sqlite").path
        try example.write(toFile: config, atomically: true, encoding: .utf8)
        let cli = CommandLineTool(name: "portdaily")
        let register = folder.appendingPathComponent("vessels.csv").path
        try "mmsi,name,type,operator,homeBureau,admittedFrom\n412000001,津港拖1号,tug,op1,beijiang-msa,2026-01-01\n"
            .write(toFile: register, atomically: true, encoding: .utf8)
        #expect(try cli.run(["vessels", "import", register, "--config", config, "--database", database]).status == 0)
        let voyage = folder.appendingPathComponent("v.ndjson").path
        try (#"{"movementId":"M1","operator":"op1","mmsi":"412000001","job":"berthing-assist","departedAt":"2026-03-02T08:00:00+08:00","#
             + #""fromArea":"beijiang","arrivedAt":"2026-03-02T09:00:00+08:00","toArea":"beijiang"}"# + "\n")
            .write(toFile: voyage, atomically: true, encoding: .utf8)
        #expect(try cli.run(["voyages", "import", voyage, "--config", config, "--database", database]).status == 0)

        let notify = try NotifySocket()
        let daemon = try ChildProcess(Self.daemon, ["--config", config, "--database", database, "--listen", "127.0.0.1:\(FreePort.next())"],
                                      environment: ["NOTIFY_SOCKET": notify.path])
        let ready = notify.receive()
        #expect(ready?.hasPrefix("READY=1") == true, "\(ready ?? "nothing")")
        let berlin = example.replacingOccurrences(of: "timeZone: Asia/Shanghai", with: "timeZone: Europe/Berlin")
        #expect(berlin != example)
        try berlin.write(toFile: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        // (The store holds a stale day, which the first seal check folds: its status may come first.)
        #expect(notify.receive(containing: "RELOADING=1") != nil)
        let answer = notify.receive(containing: "reload failed") ?? ""
        #expect(answer.contains("reload failed") && answer.contains("local days of Asia/Shanghai"), "\(answer)")
        #expect(daemon.terminate() == 0)

        // (timeout: a daemon that wrongly starts must fail the test, not hang it.)
        let start = try CommandLineTool.shell(
            "timeout 30 '\(Self.daemon)' --config '\(config)' --database '\(database)' --listen 127.0.0.1:\(FreePort.next()) 2>&1")
        #expect(start.status == 1)
        #expect(start.text.contains("the configuration says timeZone Europe/Berlin"), "\(start.text)")
    }

    @Test("with systemd-socket-activate, the daemon serves on the passed socket named by LISTEN_FDNAMES",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate")))
    func socketPassing() throws {
        let decoy = FreePort.next()
        let wanted = FreePort.next()
        let configured = FreePort.next()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-sa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var yaml = try String(contentsOfFile: Self.config, encoding: .utf8)
        yaml = try ExampleConfig.patch(yaml, "listen: 127.0.0.1:8470", "listen: 127.0.0.1:\(configured)")
        yaml = try ExampleConfig.patch(yaml, "# socketName: portdaily-http", "socketName: portdaily-http")
        let config = folder.appendingPathComponent("portdaily.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: config))
        let activator = try ChildProcess("/usr/bin/systemd-socket-activate", [
            "-l", "127.0.0.1:\(decoy)", "-l", "127.0.0.1:\(wanted)", "--fdname=other:portdaily-http",
            Self.daemon, "--config", config, "--database", folder.appendingPathComponent("pd.sqlite").path,
        ])
        defer { _ = activator.terminate() }
        var answer = ""
        for _ in 0..<150 {
            answer = try CommandLineTool.shell("curl -s -m 2 http://127.0.0.1:\(wanted)/healthz").text
            if answer.contains("ok") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(answer.contains("ok"))
        // The configured address was not bound.
        #expect(try CommandLineTool.shell("curl -s -m 2 http://127.0.0.1:\(configured)/healthz").text.isEmpty)
    }

    @Test("the daemon's sealer seals days that are due, logs each with its date, and the CLI then sees them sealed")
    func daemonSeals() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-seal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let common = ["--config", Self.config, "--database", folder.appendingPathComponent("pd.sqlite").path]
        let cli = CommandLineTool(name: "portdaily")
        _ = try cli.run(["simulate", "--vessels", "3", "--days", "1", "--start", "2026-03-02", "--out", folder.path] + common)
        _ = try cli.run(["vessels", "import", folder.appendingPathComponent("vessels.csv").path] + common)
        _ = try cli.run(["voyages", "import", folder.appendingPathComponent("voyages.ndjson").path] + common)
        #expect(try cli.run(["reports", "--date", "2026-03-02"] + common).array().allSatisfy { $0["sealed"] as? Bool == false })
        let port = FreePort.next()
        let daemon = try ChildProcess(Self.daemon, ["--listen", "127.0.0.1:\(port)"] + common)
        var sealed = false
        for _ in 0..<600 where !sealed {
            Thread.sleep(forTimeInterval: 0.05)
            sealed = daemon.log.contains("REPORT_DATE=2026-03-02") && daemon.log.contains("day sealed")
        }
        #expect(sealed, "\(daemon.log)")
        #expect(daemon.log.contains("MESSAGE_ID=126895b39e8f4e9d9bd8a963c6ab1d82"))
        #expect(daemon.terminate() == 0)
        let reports = try cli.run(["reports", "--date", "2026-03-02"] + common).array()
        #expect(!reports.isEmpty)
        #expect(reports.allSatisfy { $0["sealed"] as? Bool == true })
    }
}
