public import Foundation

/// Runs the built executables the way a user would, and captures what they print.
public struct CommandLineTool: Sendable {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: String
        public var text: String { String(decoding: stdout, as: UTF8.self) }
        public func json() throws -> Any { try JSONSerialization.jsonObject(with: stdout) }
        public func object() throws -> [String: Any] { try json() as? [String: Any] ?? [:] }
        public func array() throws -> [[String: Any]] { try json() as? [[String: Any]] ?? [] }
    }

    /// The folder the test binary was built into; the executables sit beside it.
    public static let binDirectory: URL = {
        if let dir = ProcessInfo.processInfo.environment["PORTDAILY_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent()
    }()

    public let name: String

    public init(name: String) { self.name = name }

    /// Runs an executable from `binDirectory`, or an absolute path.
    public func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
             in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = name.hasPrefix("/") ? URL(fileURLWithPath: name) : Self.binDirectory.appendingPathComponent(name)
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


extension CommandLineTool {
    /// Runs any program by path and returns its output.
    public static func shell(_ command: String) throws -> Output {
        try CommandLineTool(name: "/bin/bash").run(["-c", command])
    }

    /// The repository's root folder (this file is Tests/Support/CommandLineTool.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}
