import Foundation
import PortDailyLogging
import PortDailyTestSupport
import Testing

@Suite("portdaily.service under a real systemd", .serialized, .enabled(if: BootedSystemd.canBoot), .timeLimit(.minutes(3)))
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
        let reloaded = try system.waitUntil(20) {
            try system.journal("-u portdaily.service").contains {
                $0["MESSAGE_ID"] as? String == EventID.reloaded && $0["BUREAUS"] as? String == "7"
            }
        }
        #expect(reloaded)
        let debugging = try system.waitUntil(20) {
            try system.journal("-u portdaily.service PRIORITY=7").contains { ($0["MESSAGE"] as? String)?.contains("seal check") == true }
        }
        #expect(debugging, "debug entries should appear after the log level was reloaded")

        // A broken config: the old one stays; STATUS says so; same process, still serving.
        try system.writeFile("/etc/portdaily/portdaily.yaml", "database: x.sqlite\nbureaus:\n  - id: msa\nportAreas:\n  - id: a\n    bureau: ghost\n")
        #expect(try system.run("systemctl reload portdaily.service").status == 0)
        let failed = try system.waitUntil(20) {
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

    @Test("a stopped process sends no watchdog pings; systemd restarts the service")
    func watchdog() throws {
        let system = try BootedSystemd(name: "watchdog")
        try system.installPortDaily()
        try system.writeFile("/etc/systemd/system/portdaily.service.d/watchdog-test.conf", """
            [Service]
            WatchdogSec=2s
            RestartSec=1s
            TimeoutAbortSec=2s

            """)
        _ = try system.run("systemctl daemon-reload")
        #expect(try system.run("systemctl start portdaily.service").status == 0)
        let firstPID = try system.property("portdaily.service", "MainPID")
        // Healthy for longer than the interval: the pings keep it alive.
        #expect(try system.holds(for: 3) { try system.property("portdaily.service", "MainPID") == firstPID })
        // SIGSTOP: the process can neither ping nor handle the watchdog's SIGABRT; systemd then kills it.
        _ = try system.run("kill -STOP \(firstPID)")
        let timedOut = try system.waitUntil(15) {
            try system.run("journalctl --no-pager -u portdaily.service").text.contains("Watchdog timeout")
        }
        #expect(timedOut)
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
        let socketPort = system.socketPort
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

    @Test("ingest under systemd: journalctl VESSEL_MMSI=… finds one vessel's events; batch and late-revision events; metrics by result")
    func vesselEvents() throws {
        let system = try BootedSystemd(name: "events")
        try system.installPortDaily()
        let register = """
            mmsi,imo,name,callSign,type,operator,homeBureau,admittedFrom,admittedUntil
            412000001,,津港拖1号,,tug,op1,beijiang-msa,2026-01-01,
            412000002,,津港拖2号,,tug,op1,beijiang-msa,2026-01-01,
            """
        try system.writeFile("/run/vessels.csv", register + "\n")
        let pd = "--config /etc/portdaily/portdaily.yaml --database /var/lib/portdaily/portdaily.sqlite"
        #expect(try system.run("portdaily vessels import \(pd) /run/vessels.csv").status == 0)
        // Created by root before the first start; systemd hands the state directory to the dynamic user.
        #expect(try system.run("systemctl start portdaily.service").status == 0)
        // After it, root's CLI leaves no root-owned files (SQLite gives new -wal/-shm files the
        // database file's owner), so the service can still write.
        let token = try system.run("portdaily tokens issue \(pd) --role operator --operator op1").text
            .split(separator: "\n").last.map(String.init) ?? ""
        #expect(try system.run("stat -c %U /var/lib/private/portdaily/portdaily.sqlite-wal").text != "root\n")
        // 2026-03-02 is long sealed: both voyages make late revisions.
        let body = """
            {"movementId":"A1","operator":"op1","mmsi":"412000001","job":"escort","departedAt":"2026-03-02T08:00:00+08:00","fromArea":"beijiang","arrivedAt":"2026-03-02T09:00:00+08:00","toArea":"nanjiang"}
            {"movementId":"B1","operator":"op1","mmsi":"412000002","job":"escort","departedAt":"2026-03-02T10:00:00+08:00","fromArea":"beijiang","arrivedAt":"2026-03-02T11:00:00+08:00","toArea":"beijiang"}
            {"movementId":"C1","operator":"op1","mmsi":"412000002","job":"towing","departedAt":"2026-03-02T10:00:00+08:00","fromArea":"beijiang","arrivedAt":"2026-03-02T11:00:00+08:00","toArea":"beijiang"}
            """
        try Data(body.utf8).write(to: URL(fileURLWithPath: "/tmp/portdaily-events-\(system.port).ndjson"))
        defer { try? FileManager.default.removeItem(atPath: "/tmp/portdaily-events-\(system.port).ndjson") }
        let post = try CommandLineTool.shell("""
            curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Authorization: Bearer \(token)' \
              -H 'Content-Type: application/x-ndjson' --data-binary @/tmp/portdaily-events-\(system.port).ndjson \
              http://127.0.0.1:\(system.port)/v1/voyages
            """)
        #expect(post.text == "422")
        let one = try system.journal("-u portdaily VESSEL_MMSI=412000001")
        #expect(!one.isEmpty)
        #expect(one.allSatisfy { $0["VESSEL_MMSI"] as? String == "412000001" })
        let late = one.first { $0["MESSAGE_ID"] as? String == PortDailyEvent.reportRevisedLate.messageID }
        #expect(late?["REPORT_DATE"] as? String == "2026-03-02")
        #expect(late?["REVISION"] as? String == "1")
        #expect(late?["PRIORITY"] as? String == "5")
        let batch = try system.journal("-u portdaily MESSAGE_ID=\(PortDailyEvent.batchAccepted.messageID)")
        #expect(batch.last?["OPERATOR"] as? String == "op1")
        #expect(batch.last?["ACCEPTED"] as? String == "2")
        let rejected = try system.journal("-u portdaily MESSAGE_ID=\(PortDailyEvent.recordsRejected.messageID)")
        #expect(rejected.last?["FIRST_FIELD"] as? String == "job")
        // No token and no request body reach the journal.
        let everything = try system.run("journalctl --no-pager -u portdaily -o json").text
        #expect(!everything.contains(token))
        #expect(!everything.contains("\"towing\""))
        let metrics = try system.curl("/metrics").body
        #expect(metrics.contains("portdaily_ingest_records_total{result=\"accepted\"} 2"))
        #expect(metrics.contains("portdaily_ingest_records_total{result=\"rejected\"} 1"))
    }

    @Test("TLS under systemd: the key in /etc/portdaily/tls (root's) is staged for the dynamic user; a renewed certificate is served after systemctl reload; portdaily.socket serves TLS too")
    func tls() throws {
        // Where http.tls names the files: the staged copies. (Named as /etc/portdaily/tls itself,
        // the start fails: the dynamic user cannot read root's key; checked when this was written.)
        let keyPath = "/run/portdaily/tls"
        let system = try BootedSystemd(name: "tls")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificates = TestCertificates(folder: folder)
        let ca = try certificates.authority("ca")
        let first = try certificates.issue("first", subject: "/CN=localhost", by: ca, serverName: "localhost")
        func place(_ pair: TestCertificates.Pair) throws {
            try system.writeFile("/etc/portdaily/tls/fullchain.pem", try String(contentsOfFile: pair.certificate, encoding: .utf8))
            try system.writeFile("/etc/portdaily/tls/privkey.pem", try String(contentsOfFile: pair.key, encoding: .utf8))
            _ = try system.run("chown -R root:root /etc/portdaily/tls && chmod 0700 /etc/portdaily/tls && chmod 0600 /etc/portdaily/tls/*")
        }
        try place(first)
        try system.installPortDaily()
        let example = try String(contentsOfFile: CommandLineTool.repositoryRoot.appendingPathComponent("config/portdaily.yaml").path,
                                 encoding: .utf8)
        var config = try ExampleConfig.patch(example, "listen: 127.0.0.1:8470", "listen: 127.0.0.1:\(system.port)")
        config = try ExampleConfig.patch(config, "http:", "http:\n  tls:\n    certificate: \(keyPath)/fullchain.pem\n    privateKey: \(keyPath)/privkey.pem")
        try system.writeFile("/etc/portdaily/portdaily.yaml", config)
        func served(port: Int) throws -> String {
            // The serial of the certificate the listener presents, once /healthz answered over it.
            try CommandLineTool.shell("""
                curl -s -m 10 --cacert '\(ca.certificate)' https://127.0.0.1:\(port)/healthz >/dev/null && \
                echo | openssl s_client -connect 127.0.0.1:\(port) -servername localhost 2>/dev/null | openssl x509 -noout -serial
                """).text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func serial(_ pair: TestCertificates.Pair) throws -> String {
            try CommandLineTool.shell("openssl x509 -noout -serial -in '\(pair.certificate)'").text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let started = try system.run("systemctl start portdaily.service")
        let startLog = try system.run("journalctl -u portdaily --no-pager | tail -20").text
        #expect(started.status == 0, "\(startLog)")
        #expect(try served(port: system.port) == serial(first))
        #expect(try system.curl("/healthz").status == 400, "plain HTTP on the TLS port")
        #expect(try system.run("stat -c %a /etc/portdaily/tls/privkey.pem").text.hasPrefix("600"))

        let renewed = try certificates.issue("renewed", subject: "/CN=localhost", by: ca, days: 20, serverName: "localhost")
        try place(renewed)
        let pid = try system.property("portdaily.service", "MainPID")
        #expect(try system.run("systemctl reload portdaily.service").status == 0)
        #expect(try system.waitUntil(20) { try served(port: system.port) == serial(renewed) })
        #expect(try system.property("portdaily.service", "MainPID") == pid, "a reload, not a restart")
        #expect(try system.journal("-u portdaily.service MESSAGE_ID=\(PortDailyEvent.tlsCertificateLoaded.messageID)").count >= 2)

        // Socket activation: the same TLS on the socket systemd passes.
        _ = try system.run("systemctl stop portdaily.service")
        try system.writeFile("/etc/systemd/system/portdaily.socket.d/port.conf",
                             "[Socket]\nListenStream=\nListenStream=127.0.0.1:\(system.socketPort)\n")
        _ = try system.run("systemctl daemon-reload")
        #expect(try system.run("systemctl start portdaily.socket").status == 0)
        #expect(try served(port: system.socketPort) == serial(renewed))
        #expect(try system.property("portdaily.service", "ActiveState") == "active")
    }
}
