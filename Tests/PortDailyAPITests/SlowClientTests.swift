import Foundation
import PortDailyTestSupport
import Testing

@Suite("Fault: slow clients and oversize bodies",
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")), .timeLimit(.minutes(3)))
struct SlowClientTests {
    @Test("idle and slow-sending connections are closed after http.idleTimeout")
    func timeouts() throws {
        let d = try RunningDaemon(idleTimeout: "2s")
        let probe = try CommandLineTool(name: "/usr/bin/python3").run(["-c", """
            import socket, sys, time
            port = int(sys.argv[1])
            s = socket.create_connection(("127.0.0.1", port)); s.settimeout(15); t = time.time()
            idle = s.recv(100); idle_after = time.time() - t
            s = socket.create_connection(("127.0.0.1", port)); s.settimeout(0.2); t = time.time()
            s.sendall(b"POST /v1/voyages HTTP/1.1\\r\\nHost: x\\r\\n")
            slow_after = None
            while time.time() - t < 15 and slow_after is None:
                try:
                    s.sendall(b"X")
                    if s.recv(100) == b"": slow_after = time.time() - t
                except socket.timeout: pass
                except OSError: slow_after = time.time() - t
                time.sleep(0.3)
            print("%.1f %.1f" % (idle_after, slow_after if slow_after is not None else 99))
            """, String(d.port)])
        let times = probe.text.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(times.count == 2, "\(probe.text) \(probe.stderr)")
        #expect((1.5...15).contains(times.first ?? 0), "idle connection closed after \(times.first ?? -1) s")
        #expect((1.5...15).contains(times.last ?? 0), "slow connection closed after \(times.last ?? -1) s")
        #expect(try d.request("GET", "/healthz").status == 200)
    }

    @Test("connections past http.maxConnections are closed before a request is read; a freed place is taken again")
    func connectionCap() throws {
        let d = try RunningDaemon(maxConnections: 3)
        let probe = try CommandLineTool(name: "/usr/bin/python3").run(["-c", """
            import socket, sys, time
            port = int(sys.argv[1])
            def ask(s):
                s.settimeout(5)
                try:
                    s.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
                    return s.recv(100)[:12].decode() or "closed"
                except OSError:
                    return "closed"
            held = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
            answers = [ask(s) for s in held]
            extra = ask(socket.create_connection(("127.0.0.1", port)))
            held[0].close()
            # The freed place is counted out when the daemon sees the close: poll, with a deadline.
            again, deadline = "closed", time.time() + 10
            while again == "closed" and time.time() < deadline:
                again = ask(socket.create_connection(("127.0.0.1", port)))
                if again == "closed": time.sleep(0.1)
            print(";".join(["|".join(answers), extra, again]))
            """, String(d.port)])
        let words = probe.text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";")
        #expect(words.count == 3, "\(probe.text) \(probe.stderr)")
        #expect(words.first == "HTTP/1.1 200|HTTP/1.1 200|HTTP/1.1 200", "\(probe.text)")
        #expect(words.dropFirst().first == "closed", "a fourth connection was served: \(probe.text)")
        #expect(words.last == "HTTP/1.1 200", "no place freed: \(probe.text)")
    }

    @Test("bodies over the limit get 413 and the daemon's memory stays bounded")
    func oversize() throws {
        let d = try RunningDaemon(maxBodyBytes: 1 << 20)
        let big = d.folder.appendingPathComponent("big.json")
        try Data(repeating: UInt8(ascii: " "), count: 24 << 20).write(to: big)
        for _ in 0..<12 {
            let status = try CommandLineTool.shell("""
                curl -s -m 20 -o /dev/null -w '%{http_code}' -X POST -H 'Authorization: Bearer \(d.tokens["op1"]!)' \
                  -H 'Content-Type: application/json' --data-binary @\(big.path) http://127.0.0.1:\(d.port)/v1/voyages
                """).text
            #expect(status == "413")
        }
        let status = try String(contentsOfFile: "/proc/\(d.daemon.pid)/status", encoding: .utf8)
        let rssKB = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }?
            .split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? .max
        #expect(rssKB < 150_000, "RSS \(rssKB) kB after 288 MB of refused bodies")
        #expect(try d.request("GET", "/healthz").status == 200)
    }
}
