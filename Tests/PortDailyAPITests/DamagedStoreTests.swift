import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PortDailyApp
import PortDailyConfig
import PortDailyCore
import PortDailyLogging
import PortDailySimulation
import PortDailyStore
import PortDailyTestSupport
import Testing

/// A damaged database file, opened as the daemon opens it: noticed at the first touch or by one
/// pass of the background check, logged once, `/healthz` 503, every write 503 with a problem body
/// that says the store is damaged, and not one byte of the file written from then on.
@Suite("Fault: a damaged store", .enabled(if: SQLiteProbe.available), .timeLimit(.minutes(3)))
struct DamagedStoreTests {
    static let seed = TestSeed.make()

    /// A store with a row in every main table, closed (its WAL copied into the file), and the
    /// tokens of its ``TestApp``.
    static func pristine() async throws -> (path: String, tokens: [String: String], keep: TestApp) {
        let t = try await TestApp.make()
        try await t.run { c in
            let voyages = (1...12).map { RunningDaemon.voyage("V\($0)", hour: $0 % 10 + 1) }
            #expect(try await c.post(voyages, token: c.tokens["op1"]).status == 200)
            #expect(try await c.post([RunningDaemon.voyage("B1", mmsi: "412000002", op: "op2", to: "dagang")],
                                     token: c.tokens["op2"]).status == 200)
            #expect(try await c.request("DELETE", "/v1/voyages/V3?reason=double", token: c.tokens["op1"]).status == 200)
            let ack = try await c.request("POST", "/v1/daily-reports/412000001/2026-03-02/acknowledgements", token: c.tokens["beijiang"],
                                          body: Data(#"{"revision":2}"#.utf8), contentType: "application/json")
            #expect(ack.status == 201, "\(ack.text)")
        }
        try t.store.close()
        return (t.database, t.tokens, t)
    }

    /// The application as the daemon assembles it, over the file at `path`.
    struct Daemon {
        let store: PortDailyStore
        let app: PortDailyApplication
        let log: LogCapture
        let tokens: [String: String]

        init(path: String, tokens: [String: String]) throws {
            store = try PortDailyStore(path: path, allowReadOnly: true, checkpoints: .daemon)
            log = LogCapture()
            let capture = log
            var configuration = try ConfigLoader.load(path: TestApp.example)
            configuration.database = path
            app = buildApplication(configuration: LiveConfiguration(configuration), store: store,
                                   clock: ManualClock(Fixture.instant(TestApp.defaultNow)),
                                   logger: Logger(label: "portdailyd") { _ in capture.handler() })
            self.tokens = tokens
        }

        func run(_ body: @Sendable (TestApp.Client) async throws -> Void) async throws {
            let tokens = self.tokens
            try await app.test(.router) { client in try await body(TestApp.Client(client: client, tokens: tokens)) }
        }

        var damageLogged: Int { log.entries.count { $0.contains("MESSAGE_ID=\(PortDailyEvent.storeDamaged.messageID)") } }
    }

    /// The bytes of the database file and its WAL.
    static func bytes(_ path: String) -> [Data?] { [path, path + "-wal"].map { FileManager.default.contents(atPath: $0) } }

    /// Every write refused with the damage problem, the health check 503; then the file's bytes are
    /// compared across those writes, a seal check and closing the store.
    static func expectRefusingEverything(_ d: Daemon, _ path: String, _ what: String) async throws {
        let before = bytes(path)
        try await d.run { c in
            let health = try await c.request("GET", "/healthz")
            #expect(health.status == 503 && health.text.contains("damaged"), "\(what): \(health.status) \(health.text)")
            let post = try await c.post([RunningDaemon.voyage("AFTER", hour: 11)], token: c.tokens["op1"])
            #expect(post.status == 503 && post.text.contains("the store is damaged"), "\(what): \(post.status) \(post.text)")
            #expect(post.headers["content-type"] == "application/problem+json", "\(what)")
            let ack = try await c.request("POST", "/v1/daily-reports/412000001/2026-03-02/acknowledgements", token: c.tokens["dagang"],
                                          body: Data(#"{"revision":1}"#.utf8), contentType: "application/json")
            #expect(ack.status == 503 && ack.text.contains("damaged"), "\(what): \(ack.status)")
            let cancel = try await c.request("DELETE", "/v1/voyages/V4?reason=double", token: c.tokens["op1"])
            #expect(cancel.status == 503, "\(what): \(cancel.status)")
            let signIn = try await c.request("POST", "/ui/login", body: Data("username=boss&password=x".utf8),
                                             contentType: "application/x-www-form-urlencoded")
            #expect(signIn.status == 503 && signIn.headers["content-type"]?.hasPrefix("text/html") == true, "\(what): \(signIn.status)")
            // Reads answer 200 or the same 503, never a bare 500.
            for read in ["/v1/voyages?date=2026-03-02", "/v1/daily-reports?date=2026-03-02", "/v1/daily-reports/changes"] {
                let answer = try await c.request("GET", read, token: c.tokens["admin"])
                #expect(answer.status == 200 || (answer.status == 503 && answer.text.contains("damaged")), "\(what) \(read): \(answer.status) \(answer.text)")
            }
        }
        await d.app.sealer.check()
        #expect(await d.app.integrityCheck.checkNow() == false)
        try d.store.close()
        #expect(bytes(path) == before, "\(what): the damaged file was written to")
        #expect(d.damageLogged == 1, "\(what): logged once: \(d.log.text)")
        #expect(d.log.critical.count == 1 && d.log.critical.first?.contains(PortDailyEvent.storeDamaged.messageID) == true,
                "\(what): at crit: \(d.log.critical)")
    }

    /// Overwrites page `page` (1-based) of the database file with seeded bytes whose b-tree page
    /// type is invalid.
    static func damagePage(_ path: String, page: Int, seed: UInt64) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let size = Int(data[16]) << 8 | Int(data[17])
        let pageSize = size == 1 ? 65536 : size
        var rng = SeededGenerator(seed: seed &+ UInt64(page))
        let start = (page - 1) * pageSize + (page == 1 ? 100 : 0)
        for offset in start..<(page * pageSize) { data[offset] = UInt8.random(in: 0...255, using: &rng) }
        data[start] = 0x01  // no b-tree page has type 1
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func copy(_ path: String, as name: String) throws -> String {
        let copy = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(name).path
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        return copy
    }

    static let mainObjects = [
        "vessel", "sqlite_autoindex_vessel_1", "vessel_operator", "voyage", "sqlite_autoindex_voyage_1", "voyage_vessel_day",
        "voyageAudit", "voyageAudit_key", "reportRevision", "sqlite_autoindex_reportRevision_1", "reportRevision_day",
        "reportRevision_vessel_day", "reportRevision_seq", "reportShare", "reportShare_revision", "acknowledgement",
        "acknowledgement_report", "apiToken", "consoleUser", "consoleSession",
    ]

    @Test("a page of each main table and index: one pass of the background check finds it and names it; then nothing is written")
    func eachTableAndIndex() async throws {
        let (path, tokens, keep) = try await Self.pristine()
        // A sound store passes both checks (SQLite 3.40's false NULL reports on reportShare set aside).
        #expect(IntegrityCheck.check(path: path, full: true) == [])
        let sound = try Daemon(path: try Self.copy(path, as: "sound.sqlite"), tokens: tokens)
        #expect(await sound.app.integrityCheck.checkNow() == true, "\(String(describing: sound.store.damage))")
        let roots = try SQLiteProbe.firstRow(path, "SELECT group_concat(name || '=' || rootpage, ' ') FROM sqlite_schema WHERE rootpage > 0")
            .split(separator: " ").reduce(into: [String: Int]()) { roots, pair in
                let parts = pair.split(separator: "=")
                roots[String(parts[0])] = Int(parts[1])
            }
        for object in Self.mainObjects {
            let page = try #require(roots[object], "\(object) is in the schema")
            let copy = try Self.copy(path, as: "damaged-\(object).sqlite")
            try Self.damagePage(copy, page: page, seed: Self.seed)
            let findings = IntegrityCheck.check(path: copy, full: true)
            #expect(findings.contains { $0.object == object }, "seed \(Self.seed): \(object) named: \(findings)")
            let d = try Daemon(path: copy, tokens: tokens)
            #expect(d.store.damage == nil, "\(object): nothing read it yet")
            #expect(await d.app.integrityCheck.checkNow() == false, "seed \(Self.seed): \(object) found by one pass")
            #expect(d.store.damage?.reason.contains(object) == true, "\(object): \(String(describing: d.store.damage))")
            try await Self.expectRefusingEverything(d, copy, object)
        }
        withExtendedLifetime(keep) {}
    }

    @Test("the voyage table damaged: the first read that touches it finds it (503, not 500) before any check does")
    func firstTouch() async throws {
        let (path, tokens, keep) = try await Self.pristine()
        let page = try #require(Int(SQLiteProbe.firstRow(path, "SELECT rootpage FROM sqlite_schema WHERE name = 'voyage'")))
        let copy = try Self.copy(path, as: "damaged-touch.sqlite")
        try Self.damagePage(copy, page: page, seed: Self.seed)
        let d = try Daemon(path: copy, tokens: tokens)
        try await d.run { c in
            #expect(try await c.request("GET", "/healthz").status == 200, "not found yet")
            let read = try await c.request("GET", "/v1/voyages?date=2026-03-02", token: c.tokens["admin"])
            #expect(read.status == 503 && read.text.contains("the store is damaged"), "seed \(Self.seed): \(read.status) \(read.text)")
            let console = try await c.request("GET", "/ui/reports")
            #expect(console.status == 303 || console.status == 503, "\(console.status)")
        }
        #expect(d.store.damage?.foundBy == "a query")
        try await Self.expectRefusingEverything(d, copy, "voyage, first touch")
        withExtendedLifetime(keep) {}
    }

    @Test("the header overwritten, or the file cut in half: found at opening, and the daemon still answers (503)")
    func headerAndTruncation() async throws {
        let (path, tokens, keep) = try await Self.pristine()
        let header = try Self.copy(path, as: "damaged-header.sqlite")
        let handle = try #require(FileHandle(forWritingAtPath: header))
        try handle.write(contentsOf: Data(repeating: 0x5a, count: 100))
        try handle.close()
        let truncated = try Self.copy(path, as: "damaged-truncated.sqlite")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: truncated)[.size] as? Int)
        #expect(truncate(truncated, off_t(size / 2)) == 0)
        for (what, copy) in [("header", header), ("truncated", truncated)] {
            #expect(!IntegrityCheck.check(path: copy, full: false).isEmpty, "\(what): store check finds it")
            let d = try Daemon(path: copy, tokens: tokens)
            if d.store.damage == nil { #expect(await d.app.integrityCheck.checkNow() == false, "\(what)") }
            #expect(d.store.damage != nil, "\(what)")
            try await Self.expectRefusingEverything(d, copy, what)
        }
        withExtendedLifetime(keep) {}
    }

    @Test("a WAL with a damaged frame followed by committed transactions: found before SQLite replays it, and kept as it is")
    func walWithBadFrame() async throws {
        let (path, tokens, keep) = try await Self.pristine()
        let live = try Self.copy(path, as: "wal-live.sqlite")
        let store = try PortDailyStore(path: live, checkpoints: CheckpointPolicy(logBytes: 1 << 40, backstopBytes: 1 << 40, thread: false))
        let configuration = try ConfigLoader.load(path: TestApp.example)
        let rules = StoreRules(setup: configuration.setup, calendar: configuration.calendar)
        for name in ["一", "二", "三"] {
            var vessel = TestApp.register[0]
            vessel.name = "津港拖\(name)号"
            _ = try store.upsertVessels([vessel], rules: rules, now: Fixture.instant(TestApp.defaultNow))
        }
        // A copy of the file and its log while the store is open and idle: as after a crash.
        let copy = try Self.copy(live, as: "damaged-wal.sqlite")
        try FileManager.default.copyItem(atPath: live + "-wal", toPath: copy + "-wal")
        try store.close()
        var wal = try Data(contentsOf: URL(fileURLWithPath: copy + "-wal"))
        #expect(WriteAheadLog.inspect([UInt8](wal)) == nil, "a sound log")
        wal[32 + 24 + 200] ^= 0xff  // the first frame's page
        try wal.write(to: URL(fileURLWithPath: copy + "-wal"))
        #expect(IntegrityCheck.check(path: copy, full: false).contains { $0.object == "write-ahead log" })
        let d = try Daemon(path: copy, tokens: tokens)
        #expect(d.store.damage?.reason.contains("frame 1") == true, "\(String(describing: d.store.damage))")
        try await Self.expectRefusingEverything(d, copy, "WAL")
        withExtendedLifetime(keep) {}
    }

    @Test("a bad frame in the log's last transaction is what a crash during a commit leaves: not damage")
    func tornLastTransaction() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let live = dir.appendingPathComponent("pd.sqlite").path
        let store = try PortDailyStore(path: live, checkpoints: CheckpointPolicy(logBytes: 1 << 40, backstopBytes: 1 << 40, thread: false))
        try store.writer.write { db in try db.execute(sql: "CREATE TABLE t(x); INSERT INTO t VALUES (1)") }
        try store.writer.write { db in try db.execute(sql: "INSERT INTO t VALUES (2)") }
        var wal = [UInt8](try Data(contentsOf: URL(fileURLWithPath: live + "-wal")))
        try store.close()
        let pageSize = Int(wal[8]) << 24 | Int(wal[9]) << 16 | Int(wal[10]) << 8 | Int(wal[11])
        let frames = (wal.count - 32) / (24 + pageSize)
        wal[32 + (frames - 1) * (24 + pageSize) + 24 + 10] ^= 0xff
        #expect(WriteAheadLog.inspect(wal) == nil, "the last frame")
        wal[32 + 24 + 10] ^= 0xff
        #expect(WriteAheadLog.inspect(wal) != nil, "the first frame, committed transactions after it")
    }

    @Test("portdailyd started on a file whose header is overwritten: logged at crit, 503 to health and writes, and it keeps running")
    func daemonProcess() throws {
        let d = try RunningDaemon()
        #expect(try d.post([RunningDaemon.voyage("BEFORE")], token: d.tokens["op1"]).status == 200)
        try d.restart(healthy: 503) {
            let handle = try #require(FileHandle(forWritingAtPath: d.database))
            try handle.write(contentsOf: Data(repeating: 0x5a, count: 100))
            try handle.close()
        }
        let before = Self.bytes(d.database)
        #expect(try d.post([RunningDaemon.voyage("AFTER", hour: 11)], token: d.tokens["op1"]).status == 503)
        // The background check and the backups find nothing to do: the daemon stays up and answering.
        #expect(Poll.holdsBlocking(for: 2) { d.daemon.isRunning && (try? d.request("GET", "/healthz").status) == 503 }, "\(d.daemon.log)")
        #expect(d.daemon.log.contains("critical") && d.daemon.log.contains(PortDailyEvent.storeDamaged.messageID), "\(d.daemon.log)")
        #expect(Self.bytes(d.database) == before)
    }
}
