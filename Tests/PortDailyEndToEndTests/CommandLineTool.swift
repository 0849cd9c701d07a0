import Foundation

/// Runs the built executables the way a user would, and captures what they print.
struct CommandLineTool {
    struct Output {
        let status: Int32
        let stdout: Data
        let stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: stdout) }
        func object() throws -> [String: Any] { try json() as? [String: Any] ?? [:] }
        func array() throws -> [[String: Any]] { try json() as? [[String: Any]] ?? [] }
    }

    /// The folder the test binary was built into; the executables sit beside it.
    static let binDirectory: URL = {
        if let dir = ProcessInfo.processInfo.environment["PORTDAILY_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent()
    }()

    let name: String

    func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
             in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = Self.binDirectory.appendingPathComponent(name)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "PORTDAILY_CONFIG")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A scratch folder with the example configuration and a database path.
final class Workspace {
    let directory: URL
    let cli = CommandLineTool(name: "portdaily")

    static let exampleConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../config/portdaily.yaml").standardized.path

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var database: String { path("portdaily.sqlite") }
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs `portdaily` with the example config and this workspace's database.
    func portdaily(_ arguments: [String], stdin: Data? = nil) throws -> CommandLineTool.Output {
        try cli.run(arguments + ["--config", Self.exampleConfig, "--database", database], stdin: stdin)
    }

    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// A register with a tug of op1 (Chinese name), a bunker vessel of op2, and a tug whose admission has lapsed.
    func loadRegister() throws {
        let csv = """
            mmsi,imo,name,callSign,type,operator,homeBureau,admittedFrom,admittedUntil
            412000001,9074729,"津港拖1号, 港作",BVAA,tug,op1,beijiang-msa,2026-01-01,
            412000002,,渤海油2,,bunkering,op2,nanjiang-msa,2026-01-01,
            412000003,,津港拖3号,,tug,op1,beijiang-msa,2025-01-01,2026-02-28

            """
        let result = try portdaily(["vessels", "import", try write("vessels.csv", csv)])
        precondition(result.status == 0, result.stderr + result.text)
    }
}
