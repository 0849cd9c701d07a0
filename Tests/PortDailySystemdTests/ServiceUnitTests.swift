import Foundation
import PortDailyTestSupport
import Testing

@Suite("portdaily.service under a real systemd", .serialized, .enabled(if: BootedSystemd.canBoot))
struct ServiceUnitTests {
    @Test("start reaches active only after READY=1; the journal carries the structured fields; stop exits cleanly")
    func startAndStop() throws {
        let system = try BootedSystemd(name: "start")
        try system.installPortDaily()
        let start = try system.run("systemctl start portdaily.service")
        #expect(start.status == 0, "\(start.stderr)")
        #expect(try system.property("portdaily.service", "ActiveState") == "active")
        #expect(try system.curl("/healthz").status == 200)

        let entries = try system.journal("-u portdaily.service")
        let ready = try #require(entries.first { $0["MESSAGE_ID"] as? String == EventID.ready })
        let started = try #require(entries.first { $0["MESSAGE_ID"] as? String == EventID.systemdUnitStarted })
        let readyTime = UInt64(ready["__MONOTONIC_TIMESTAMP"] as? String ?? "") ?? .max
        let startedTime = UInt64(started["__MONOTONIC_TIMESTAMP"] as? String ?? "") ?? 0
        #expect(readyTime <= startedTime, "systemd reported the unit started before the daemon said READY")
        let bound = try #require(entries.first { ($0["MESSAGE"] as? String)?.contains("listening on 127.0.0.1:\(system.port)") == true })
        #expect(UInt64(bound["__MONOTONIC_TIMESTAMP"] as? String ?? "") ?? .max <= startedTime, "started before the socket was bound")
        #expect(ready["SYSLOG_IDENTIFIER"] as? String == "portdailyd")
        #expect(ready["PRIORITY"] as? String == "6")
        #expect((ready["CODE_FILE"] as? String)?.hasSuffix(".swift") == true)
        #expect(Int(ready["CODE_LINE"] as? String ?? "") != nil)
        #expect(ready["CODE_FUNC"] != nil)
        #expect(ready["_TRANSPORT"] as? String == "journal")
        let status = try system.property("portdaily.service", "StatusText")
        #expect(status.contains("voyages today"), "\(status)")

        let pid = try system.property("portdaily.service", "MainPID")
        #expect(try system.run("systemctl stop portdaily.service").status == 0)
        #expect(try system.property("portdaily.service", "ActiveState") == "inactive")
        #expect(try system.property("portdaily.service", "Result") == "success")
        #expect(try system.property("portdaily.service", "ExecMainStatus") == "0")
        let stopping = try system.journal("-u portdaily.service _PID=\(pid)")
        #expect(stopping.contains { $0["MESSAGE_ID"] as? String == EventID.stopping })
    }

    @Test("reload re-reads a changed config; a broken one keeps the old config running and says so in STATUS")
    func reload() throws {
        let system = try BootedSystemd(name: "reload")
        try system.installPortDaily()
        #expect(try system.run("systemctl start portdaily.service").status == 0)
        let pid = try system.property("portdaily.service", "MainPID")

        // A changed config: one more bureau, and debug logging (the sealer then logs each check).
        try system.writeConfig("")
        _ = try system.run("""
            sed -i 's/^bureaus:$/bureaus:\\n  - id: haixia-msa\\n    name: 海峡海事局 Test Bureau/; s/^  level: info$/  level: debug/; s/^  checkInterval: 60s$/  checkInterval: 1s/' /etc/portdaily/portdaily.yaml
            """)
        #expect(try system.run("systemctl reload portdaily.service").status == 0)
        let reloaded = try system.waitUntil(5) {
            try system.journal("-u portdaily.service").contains {
                $0["MESSAGE_ID"] as? String == EventID.reloaded && $0["BUREAUS"] as? String == "7"
            }
        }
        #expect(reloaded)
        let debugging = try system.waitUntil(5) {
            try system.journal("-u portdaily.service PRIORITY=7").contains { ($0["MESSAGE"] as? String)?.contains("seal check") == true }
        }
        #expect(debugging, "debug entries should appear after the log level was reloaded")

        // A broken config: the old one stays; STATUS says so; same process, still serving.
        try system.writeFile("/etc/portdaily/portdaily.yaml", "database: x.sqlite\nbureaus:\n  - id: msa\nportAreas:\n  - id: a\n    bureau: ghost\n")
        #expect(try system.run("systemctl reload portdaily.service").status == 0)
        let failed = try system.waitUntil(5) {
            try system.journal("-u portdaily.service PRIORITY=3").contains { $0["MESSAGE_ID"] as? String == EventID.reloadFailed }
        }
        #expect(failed)
        let failure = try system.journal("-u portdaily.service MESSAGE_ID=\(EventID.reloadFailed)").last
        #expect((failure?["ERROR"] as? String)?.contains("portAreas[1].bureau") == true)
        #expect(try system.property("portdaily.service", "StatusText").contains("reload failed"))
        #expect(try system.property("portdaily.service", "ActiveState") == "active")
        #expect(try system.property("portdaily.service", "MainPID") == pid)
        #expect(try system.curl("/healthz").status == 200)
    }

    @Test("a stalled liveness check stops the watchdog pings; systemd restarts the service")
    func watchdog() throws {
        let system = try BootedSystemd(name: "watchdog")
        try system.installPortDaily()
        try system.writeFile("/etc/systemd/system/portdaily.service.d/watchdog-test.conf", """
            [Service]
            WatchdogSec=2s
            RestartSec=1s
            Environment=PORTDAILY_TEST_WATCHDOG_STALL_FILE=/run/portdaily-stall

            """)
        _ = try system.run("systemctl daemon-reload")
        #expect(try system.run("systemctl start portdaily.service").status == 0)
        let firstPID = try system.property("portdaily.service", "MainPID")
        // Healthy for longer than the interval: the pings keep it alive.
        Thread.sleep(forTimeInterval: 3)
        #expect(try system.property("portdaily.service", "MainPID") == firstPID)
        _ = try system.run("touch /run/portdaily-stall")
        let timedOut = try system.waitUntil(15) {
            try system.run("journalctl --no-pager -u portdaily.service").text.contains("Watchdog timeout")
        }
        #expect(timedOut)
        _ = try system.run("rm -f /run/portdaily-stall")
        let restarted = try system.waitUntil(15) {
            let pid = try system.property("portdaily.service", "MainPID")
            return try pid != firstPID && pid != "0" && system.property("portdaily.service", "ActiveState") == "active"
        }
        #expect(restarted)
        #expect(Int(try system.property("portdaily.service", "NRestarts")) ?? 0 >= 1)
    }

    @Test("with portdaily.socket, the first connection starts the service and is answered")
    func socketActivation() throws {
        let system = try BootedSystemd(name: "socket")
        try system.installPortDaily()
        let socketPort = system.port + 1
        try system.writeFile("/etc/systemd/system/portdaily.socket.d/port.conf",
                             "[Socket]\nListenStream=\nListenStream=127.0.0.1:\(socketPort)\n")
        _ = try system.run("systemctl daemon-reload")
        #expect(try system.run("systemctl start portdaily.socket").status == 0)
        #expect(try system.property("portdaily.service", "ActiveState") == "inactive")
        let answer = try system.curl("/healthz", port: socketPort)
        #expect(answer.status == 200)
        #expect(answer.body.contains("ok"))
        #expect(try system.property("portdaily.service", "ActiveState") == "active")
        let entries = try system.journal("-u portdaily.service")
        #expect(entries.contains { ($0["MESSAGE"] as? String)?.contains("socket passed by systemd") == true
                                    && $0["SOCKET_NAME"] as? String == "portdaily-http" })
        // The configured listen address was not bound: the inherited socket is the only one.
        #expect(try system.curl("/healthz").status == 0)
    }

    @Test("journalctl -x shows the catalog text for a MESSAGE_ID; the installed units verify cleanly")
    func catalogAndVerify() throws {
        let system = try BootedSystemd(name: "catalog")
        try system.installPortDaily()
        #expect(try system.run("systemctl start portdaily.service").status == 0)
        let explained = try system.run("journalctl --no-pager -x -u portdaily.service MESSAGE_ID=\(EventID.ready)")
        #expect(explained.text.contains("PortDaily daemon ready"), "\(explained.text)")
        #expect(explained.text.contains("READY=1"))
        let verify = try system.run("systemd-analyze verify /etc/systemd/system/portdaily.service /etc/systemd/system/portdaily.socket")
        #expect(verify.status == 0)
        #expect(verify.stderr.isEmpty, "\(verify.stderr)")
    }
}
