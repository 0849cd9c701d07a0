public import Foundation
import Glibc

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
        let pipes = Spawning.pipes(3)
        let out = pipes[0], err = pipes[1], input = pipes[2]
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try Spawning.run(process, pipes: [out, err, input])
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        // The second pipe is read on a thread of its own: a dispatch queue could be starved by
        // tests blocking the (two-wide, on two cores) shared pool, and then nothing would finish.
        let errors = PipeDrain(err)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.wait()
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

/// Foundation's `Process` leaves descriptors above 2 open in the child, so a child started by
/// one test could hold another test's pipes open and both would wait forever. Every pipe end
/// is made close-on-exec, and processes are started one at a time, so no child inherits
/// another's pipes.
public enum Spawning {
    private static let lock = NSLock()

    /// Runs `body` while no other child is being started.
    public static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Pipes made under the lock and closed on exec at once, so no child started meanwhile
    /// inherits one (a child holding a pipe's write end keeps its reader waiting for the end).
    public static func pipes(_ count: Int) -> [Pipe] {
        locked {
            (0..<count).map { _ in
                let pipe = Pipe()
                for handle in [pipe.fileHandleForReading, pipe.fileHandleForWriting] {
                    _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)
                }
                return pipe
            }
        }
    }

    public static func run(_ process: Process, pipes: [Pipe]) throws {
        lock.lock()
        defer { lock.unlock() }
        for pipe in pipes {
            for handle in [pipe.fileHandleForReading, pipe.fileHandleForWriting] {
                _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)
            }
        }
        try process.run()
    }
}

/// Reads a pipe to its end on a dedicated thread.
final class PipeDrain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        let thread = Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
        thread.start()
    }

    /// The pipe's whole content, once the writer closed it.
    func wait() -> Data {
        done.wait()
        return data
    }
}
