import Foundation
import PortDailyTestSupport
import Testing

/// The store on a tiny tmpfs, in a mount namespace of the daemon's own: root only.
@Suite("Fault: the disk fills up", .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")), .timeLimit(.minutes(3)))
struct DiskFullTests {
    @Test("a full disk: 503 with Retry-After and a problem body, reads and health still served, logged once; accepted again when space returns")
    func diskFull() throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mountPoint) }
        let port = FreePort.next()
        let bin = CommandLineTool.binDirectory.path
        // The sealer checks every second, so a full disk meets it several times.
        let config = mountPoint + ".yaml"
        let yaml = try String(contentsOfFile: CommandLineTool.repositoryRoot.appendingPathComponent("config/portdaily.yaml").path,
                              encoding: .utf8)
        try Data(try ExampleConfig.patch(yaml, "checkInterval: 60s", "checkInterval: 1s").utf8)
            .write(to: URL(fileURLWithPath: config))
        defer { try? FileManager.default.removeItem(atPath: config) }
        let database = "\(mountPoint)/pd.sqlite"
        // 4 MiB: room for the migrated store's log (about 600 KB), the start-up backup, the log grown
        // to the daemon's checkpoint threshold (1 MB) and the database it is checkpointed into, so
        // that the disk is full only once the filler is written (2 MiB stopped being enough with
        // migration v11).
        let daemon = try ChildProcess("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c",
            "mount -t tmpfs -o size=4m tmpfs '\(mountPoint)' && exec '\(bin)/portdailyd' --config '\(config)' --database '\(database)' --listen 127.0.0.1:\(port)"])
        defer { daemon.terminate() }
        func inside(_ command: String) throws -> CommandLineTool.Output {
            try CommandLineTool(name: "/usr/bin/nsenter").run(["-t", String(daemon.pid), "-m", "/bin/sh", "-c", command])
        }
        func curl(_ arguments: String) throws -> String {
            try CommandLineTool.shell("curl -s -m 10 \(arguments)").text
        }
        var up = false
        for _ in 0..<600 where !up {
            up = (try? curl("http://127.0.0.1:\(port)/healthz"))?.contains("ok") == true
            if !up { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(up, "\(daemon.log)")
        let token = try inside("'\(bin)/portdaily' tokens issue --config '\(config)' --database '\(database)' --role admin").text.split(separator: "\n").last.map(String.init) ?? ""
        let vessel = #"{"name":"津港拖1号","type":"tug","operator":"op1","homeBureau":"beijiang-msa","admittedFrom":"2026-01-01"}"#
        #expect(try curl("-o /dev/null -w '%{http_code}' -X PUT -H 'Authorization: Bearer \(token)' -H 'Content-Type: application/json' --data '\(vessel)' http://127.0.0.1:\(port)/v1/vessels/412000001") == "201")
        func submit(_ id: String) throws -> String {
            let voyage = #"{"movementId":"\#(id)","operator":"op1","mmsi":"412000001","job":"escort","departedAt":"2026-03-02T08:00:00+08:00","fromArea":"beijiang","arrivedAt":"2026-03-02T09:00:00+08:00","toArea":"beijiang"}"#
            return try curl("-D - -o /dev/null -X POST -H 'Authorization: Bearer \(token)' -H 'Content-Type: application/json' --data '\(voyage)' http://127.0.0.1:\(port)/v1/voyages")
        }
        #expect(try submit("BEFORE").contains("200 OK"))
        // Submissions one by one grow the write-ahead log, which keeps its size until truncated.
        for index in 1...20 { #expect(try submit("GROW\(index)").contains("200 OK")) }
        func logBytes() throws -> Int { Int(try inside("stat -c %s '\(database)-wal'").text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }
        let grownLog = try logBytes()

        // The log emptied to nothing first: a log with room left in it takes small writes on a full
        // disk (the sealer's one-page update of its last run fit there for as long as it was
        // checkpointed back to the start), and whether the seal check met a full disk depended on
        // the database's size to the page. With no log, every write needs new space.
        let truncated = try Poll.untilBlocking(10) {
            try inside("sqlite3 '\(database)' 'PRAGMA wal_checkpoint(TRUNCATE);'").text.trimmingCharacters(in: .whitespacesAndNewlines) == "0|0|0"
        }
        let probe = try inside("sqlite3 '\(database)' 'PRAGMA wal_checkpoint(TRUNCATE);'")
        #expect(truncated, "the log could not be emptied: \(probe.text) \(probe.stderr)")
        _ = try inside("dd if=/dev/zero of='\(mountPoint)/filler' bs=4k 2>/dev/null; sync")
        // The next writes may still fit in the space the log has (it is checkpointed and started
        // again from its beginning): write until one needs new space and is refused.
        var fitted: [String] = []
        var refused = ""
        for index in 1...300 {
            let answer = try submit("FIT\(index)")
            guard answer.contains("200 OK") else { refused = answer; break }
            fitted.append("FIT\(index)")
        }
        #expect(refused.contains(" 503 "), "\(refused)")
        #expect(refused.lowercased().contains("retry-after: 30"))
        #expect(refused.contains("application/problem+json"))
        let refusedID = "FIT\(fitted.count + 1)"
        #expect(try submit("FULL2").contains(" 503 "))
        #expect(try curl("http://127.0.0.1:\(port)/healthz").contains("ok"))
        let reports = try curl("-H 'Authorization: Bearer \(token)' 'http://127.0.0.1:\(port)/v1/daily-reports?date=2026-03-02'")
        #expect(reports.contains("BEFORE"))
        // The seal check (every second) fails too: logged once, then not again at the next checks.
        let sealingFailures = { daemon.log.components(separatedBy: "sealing failed").count - 1 }
        #expect(Poll.untilBlocking(10) { sealingFailures() >= 1 }, "the seal check's failure is logged: \(daemon.log)")
        #expect(Poll.holdsBlocking(for: 3) { sealingFailures() == 1 }, "logged once, not per check: \(daemon.log)")
        #expect(daemon.log.components(separatedBy: "the store cannot write").count - 1 == 1, "\(daemon.log)")

        _ = try inside("rm -f '\(mountPoint)/filler'")
        #expect(try submit("AFTER").contains("200 OK"))
        #expect(daemon.log.contains("the store writes again"))
        // Before writing again, the store emptied and truncated its log, so the space came back
        // to the database instead of the log growing into it (which could keep a small disk full).
        let logAfter = try logBytes()
        #expect(grownLog > 0 && logAfter < grownLog / 2, "log \(grownLog) bytes before the disk filled, \(logAfter) after")
        let voyages = try curl("-H 'Authorization: Bearer \(token)' 'http://127.0.0.1:\(port)/v1/voyages?date=2026-03-02'")
        #expect(voyages.contains("BEFORE") && voyages.contains("AFTER"))
        #expect(!voyages.contains("\"\(refusedID)\"") && !voyages.contains("FULL2"), "nothing half-written")
        #expect(fitted.allSatisfy { voyages.contains("\"\($0)\"") }, "acknowledged but lost")
    }
}
