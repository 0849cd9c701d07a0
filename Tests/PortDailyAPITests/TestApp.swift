import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PortDailyApp
import PortDailyConfig
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Synchronization

/// The assembled application (``buildApplication``) in process, over a fresh SQLite file, with a
/// clock the test sets, a captured log, the register of ``RunningDaemon`` and a token for every
/// role. Requests go straight to the router through HummingbirdTesting: no process, no socket.
final class TestApp: Sendable {
    let folder: URL
    let store: PortDailyStore
    let clock: ManualClock
    /// The journal budgets' monotonic time: still unless the test advances it.
    let journalClock = ManualMonotonicClock()
    let live: LiveConfiguration
    let app: PortDailyApplication
    let log: LogCapture
    let tokens: [String: String]

    let database: String

    static let example = CommandLineTool.repositoryRoot.appendingPathComponent("config/portdaily.yaml").path
    /// The default "now": a week after the fixtures' day, which is then sealed.
    static let defaultNow = "2026-03-10T10:00:00+08:00"

    /// The example configuration with `configure`'s changes (values, not text), at `now`, after the
    /// daemon's first seal check (as at its start).
    static func make(now: String = defaultNow, configure: (inout PortDailyConfiguration) -> Void = { _ in }) async throws -> TestApp {
        let app = try TestApp(now: now, configure: configure)
        await app.app.sealer.check()
        return app
    }

    private init(now: String, configure: (inout PortDailyConfiguration) -> Void) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = try ConfigLoader.load(path: Self.example)
        configuration.database = folder.appendingPathComponent("pd.sqlite").path
        configure(&configuration)
        database = configuration.database
        clock = ManualClock(Fixture.instant(now))
        store = try PortDailyStore(path: configuration.database)
        try store.adoptTimeZone(configuration.timeZone.identifier)
        let rules = StoreRules(setup: configuration.setup, calendar: configuration.calendar)
        _ = try store.upsertVessels(Self.register, rules: rules, now: clock.now)
        var tokens: [String: String] = [:]
        for (name, caller) in [("op1", Caller.operator("op1")), ("op2", .operator("op2")), ("beijiang", .bureau("beijiang-msa")),
                               ("dagang", .bureau("dagang-msa")), ("admin", .admin), ("revoked", .operator("op1"))] {
            let (info, secret) = try store.issueToken(for: caller, name: name, now: clock.now)
            tokens[name] = secret
            if name == "revoked" { _ = try store.revokeToken(id: info.id, now: clock.now) }
        }
        self.tokens = tokens
        for (name, caller) in Self.consoleUsers {
            // bcrypt's lowest cost: the tests sign in hundreds of times.
            _ = try store.addUser(name: name, caller: caller, password: Self.consolePassword, cost: 4, now: clock.now)
        }
        live = LiveConfiguration(configuration)
        log = LogCapture()
        let capture = log
        let journal = journalClock
        var app = buildApplication(configuration: live, store: store, clock: clock,
                                   logger: Logger(label: "portdailyd") { _ in capture.handler() }, journalClock: { journal.now })
        // The sealer runs when the test says (``PortDailyApplication/sealer``), not in the background.
        app.services = []
        self.app = app
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A console user per role (and scope), all with ``consolePassword``.
    static let consoleUsers: [(String, Caller)] = [
        ("disp1", .operator("op1")), ("disp2", .operator("op2")), ("officer-bj", .bureau("beijiang-msa")),
        ("officer-dg", .bureau("dagang-msa")), ("boss", .admin),
    ]
    static let consolePassword = "correct horse battery"

    /// A second application over the same store file (a restarted daemon).
    func restarted() -> PortDailyApplication {
        var app = buildApplication(configuration: live, store: store, clock: clock, logger: Logger(label: "portdailyd"))
        app.services = []
        return app
    }

    /// op1's tug files with Beijiang, op2's bunker vessel with Dagang (``RunningDaemon`` imports
    /// the same entries as CSV).
    static let register = [
        Vessel(mmsi: MMSI("412000001")!, imo: IMONumber("9074729"), name: "津港拖1号, 港作", callSign: "BVAA", type: "tug",
               operator: "op1", homeBureau: "beijiang-msa", admittedFrom: Fixture.date("2026-01-01")),
        Vessel(mmsi: MMSI("412000002")!, name: "渤海油2", type: "bunkering", operator: "op2", homeBureau: "dagang-msa",
               admittedFrom: Fixture.date("2026-01-01")),
    ]

    /// Runs `body` with a client of the router.
    /// `setup`: `.live` for a real loopback socket (a peer address), else the router alone.
    func run<Value: Sendable>(_ setup: TestingSetup = .router, _ body: @Sendable (Client) async throws -> Value) async throws -> Value {
        let tokens = self.tokens
        return try await app.test(setup) { client in try await body(Client(client: client, tokens: tokens)) }
    }

    /// Requests as ``RunningDaemon`` makes them, answered by the router.
    struct Client: Sendable {
        let client: any TestClientProtocol
        let tokens: [String: String]

        func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil, contentType: String? = nil,
                     headers: [String: String] = [:]) async throws -> RunningDaemon.Answer {
            var fields = HTTPFields()
            if let token { fields[.authorization] = "Bearer \(token)" }
            if let contentType { fields[.contentType] = contentType }
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            let response = try await client.execute(uri: path, method: HTTPRequest.Method(method)!, headers: fields,
                                                    body: body.map { ByteBuffer(bytes: $0) })
            var parsed: [String: String] = [:]
            for field in response.headers { parsed[field.name.canonicalName] = field.value }
            return RunningDaemon.Answer(status: response.status.code, headers: parsed, body: Data(response.body.readableBytesView))
        }

        func post(_ ndjson: [String], token: String?, query: String = "") async throws -> RunningDaemon.Answer {
            try await request("POST", "/v1/voyages\(query)", token: token, body: Data(ndjson.joined(separator: "\n").utf8),
                              contentType: "application/x-ndjson")
        }
    }
}

/// The log lines of the application, kept for the test to read (`MESSAGE key=value …`).
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    private let criticalLines = Mutex<[String]>([])

    /// The entries logged at `critical` (journald's `crit`), in the same form.
    var critical: [String] { criticalLines.withLock { $0 } }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
    var entries: [String] { lines.withLock { $0 } }

    func handler() -> any LogHandler { Handler(capture: self) }

    fileprivate func append(_ line: String, level: Logger.Level) {
        lines.withLock { $0.append(line) }
        if level == .critical { criticalLines.withLock { $0.append(line) } }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = metadata.merging(event.metadata ?? [:]) { $1 }
            let text = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.append(text.isEmpty ? "\(event.message)" : "\(text) \(event.message)", level: event.level)
        }
    }
}
