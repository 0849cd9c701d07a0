import Foundation
import PortDailyCore
import PortDailyTestSupport

/// `portdailyd` on a loopback port over a fresh database, with a small register, voyages and
/// tokens for every role issued by the real CLI.
final class RunningDaemon: @unchecked Sendable {  // set up in init, then only read
    let folder: URL
    let port = FreePort.next()
    private(set) var daemon: ChildProcess!
    var tokens: [String: String] = [:]
    static let config = CommandLineTool.repositoryRoot.appendingPathComponent("config/portdaily.yaml").path

    var database: String { folder.appendingPathComponent("pd.sqlite").path }
    var common: [String] { ["--config", configPath, "--database", database] }
    var configPath: String { folder.appendingPathComponent("portdaily.yaml").path }

    /// ``TestApp/register`` as the CSV the CLI imports: op1's tug files with Beijiang and works
    /// Beijiang only; op2's bunker vessel files with Dagang.
    static let register = CSVWriter.row(Vessel.fieldNames) + TestApp.register.map { CSVWriter.row($0.fieldValues) }.joined()

    /// `https`: the daemon serves TLS (its `http:` lines in `httpLines`), and curl trusts `curlTLS`.
    let scheme: String
    let curlTLS: [String]

    /// `prepare` runs in the new folder before the config is written (certificates for `httpLines`).
    init(maxBodyBytes: Int = 16 * 1024 * 1024, metricsFromLoopback: Bool = true, idleTimeout: String = "60s",
         sealCheck: String = "60s", sealGrace: String = "2h", maxConnections: Int = 1024, httpLines: [String] = [],
         aisLines: [String] = [],
         https: Bool = false, curlTLS: (URL) -> [String] = { _ in [] }, prepare: (URL) throws -> Void = { _ in }) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try prepare(folder)
        (scheme, self.curlTLS) = (https ? "https" : "http", curlTLS(folder))
        var yaml = try String(contentsOfFile: Self.config, encoding: .utf8)
        if !httpLines.isEmpty {
            yaml = try ExampleConfig.patch(yaml, "http:", (["http:"] + httpLines.map { "  \($0)" }).joined(separator: "\n"))
        }
        yaml = try ExampleConfig.patch(yaml, "maxBodyBytes: 16777216", "maxBodyBytes: \(maxBodyBytes)")
        yaml = try ExampleConfig.patch(yaml, "metricsFromLoopback: true", "metricsFromLoopback: \(metricsFromLoopback)")
        yaml = try ExampleConfig.patch(yaml, "idleTimeout: 60s", "idleTimeout: \(idleTimeout)")
        yaml = try ExampleConfig.patch(yaml, "checkInterval: 60s", "checkInterval: \(sealCheck)")
        yaml = try ExampleConfig.patch(yaml, "sealGrace: 2h", "sealGrace: \(sealGrace)")
        yaml = try ExampleConfig.patch(yaml, "maxConnections: 1024", "maxConnections: \(maxConnections)")
        if !aisLines.isEmpty {
            yaml = try ExampleConfig.patch(yaml, "ais:", (["ais:"] + aisLines.map { "  \($0)" }).joined(separator: "\n"))
        }
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: configPath))
        let cli = CommandLineTool(name: "portdaily")
        let registerFile = folder.appendingPathComponent("vessels.csv")
        try Data(Self.register.utf8).write(to: registerFile)
        _ = try cli.run(["vessels", "import", registerFile.path] + common)
        for (name, arguments) in [("op1", ["--role", "operator", "--operator", "op1"]),
                                  ("op2", ["--role", "operator", "--operator", "op2"]),
                                  ("beijiang", ["--role", "bureau", "--bureau", "beijiang-msa"]),
                                  ("dagang", ["--role", "bureau", "--bureau", "dagang-msa"]),
                                  ("admin", ["--role", "admin"]),
                                  ("revoked", ["--role", "operator", "--operator", "op1"])] {
            let issued = try cli.run(["tokens", "issue"] + arguments + common)
            tokens[name] = issued.text.split(separator: "\n").last.map(String.init)
        }
        let listed = try cli.run(["tokens", "list"] + common).array()
        let revokedID = listed.last?["id"] as? Int ?? 0
        _ = try cli.run(["tokens", "revoke", String(revokedID)] + common)
        daemon = try ChildProcess(CommandLineTool.binDirectory.appendingPathComponent("portdailyd").path,
                                  ["--listen", "127.0.0.1:\(port)"] + common)
        try waitUntilUp()
    }

    /// Polls /healthz for up to 30 s (a loaded two-core machine can be slow) until it answers
    /// `healthy` (200), or at all; fails at once if the daemon died.
    func waitUntilUp(healthy: Int = 200) throws {
        for _ in 0..<600 {
            if (try? request("GET", "/healthz").status) == healthy { return }
            guard daemon.isRunning else { throw HTTPTestError(message: "portdailyd exited: \(daemon.log)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw HTTPTestError(message: "portdailyd did not come up: \(daemon.log)")
    }

    /// SIGKILL, then a new daemon on the same port and database, once it answers.
    func kill9AndRestart() throws {
        daemon.signal(SIGKILL)
        daemon.terminate(within: 5)
        daemon = try ChildProcess(CommandLineTool.binDirectory.appendingPathComponent("portdailyd").path,
                                  ["--listen", "127.0.0.1:\(port)"] + common)
        try waitUntilUp()
    }

    /// A clean stop (SIGTERM), then a new daemon on the same port and database, once it answers.
    func restart(healthy: Int = 200, between: () throws -> Void = {}) throws {
        daemon.terminate()
        try between()
        daemon = try ChildProcess(CommandLineTool.binDirectory.appendingPathComponent("portdailyd").path,
                                  ["--listen", "127.0.0.1:\(port)"] + common)
        try waitUntilUp(healthy: healthy)
    }

    deinit {
        daemon?.terminate()
        try? FileManager.default.removeItem(at: folder)
    }

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() -> Any? { try? JSONSerialization.jsonObject(with: body) }
        var array: [[String: Any]] { json() as? [[String: Any]] ?? [] }
        var object: [String: Any] { json() as? [String: Any] ?? [:] }
    }

    /// One HTTP request with curl (the real server on loopback).
    func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil, contentType: String? = nil,
                 headers: [String: String] = [:], curl: [String] = []) throws -> Answer {
        let headerFile = folder.appendingPathComponent("h-\(UUID().uuidString)").path
        let bodyFile = folder.appendingPathComponent("b-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: headerFile)
            try? FileManager.default.removeItem(atPath: bodyFile)
        }
        var arguments = ["-s", "-m", "20", "-X", method, "-D", headerFile, "-o", bodyFile, "-w", "%{http_code}"] + curlTLS + curl
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let contentType { arguments += ["-H", "Content-Type: \(contentType)"] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let body {
            let upload = folder.appendingPathComponent("u-\(UUID().uuidString)")
            try body.write(to: upload)
            arguments += ["--data-binary", "@\(upload.path)"]
        }
        arguments.append("\(scheme)://127.0.0.1:\(port)\(path)")
        let result = try CommandLineTool(name: "/usr/bin/curl").run(arguments)
        var parsed: [String: String] = [:]
        for line in ((try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? "").split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: Int(result.text) ?? 0, headers: parsed,
                      body: (try? Data(contentsOf: URL(fileURLWithPath: bodyFile))) ?? Data())
    }

    func post(_ ndjson: [String], token: String?, query: String = "") throws -> Answer {
        try request("POST", "/v1/voyages\(query)", token: token, body: Data(ndjson.joined(separator: "\n").utf8),
                    contentType: "application/x-ndjson")
    }

    static func voyage(_ id: String, mmsi: String = "412000001", op: String = "op1", day: String = "2026-03-02",
                       hour: Int = 8, from: String = "beijiang", to: String = "beijiang") -> String {
        let h = String(format: "%02d", hour), h2 = String(format: "%02d", hour + 1)
        return #"{"movementId":"\#(id)","operator":"\#(op)","mmsi":"\#(mmsi)","job":"escort","departedAt":"\#(day)T\#(h):00:00+08:00","fromArea":"\#(from)","arrivedAt":"\#(day)T\#(h2):00:00+08:00","toArea":"\#(to)","servedShipName":"中远之星"}"#
    }
}

struct HTTPTestError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
