public import Foundation
import Glibc

/// A long-running child (a daemon under test) started with `posix_spawn` and reaped with
/// `waitpid` here. Foundation's `Process` is not used for these: its SIGCHLD monitor can block
/// in `wait4` on a child that is still running, and then no other child is ever reaped.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    /// stdout and stderr of the child.
    public let logPath: String
    private var exitStatus: Int32?

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-child-\(UUID().uuidString).log").path
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = Spawning.locked {
            // No descriptor of this process beyond 0-2 reaches the child (glibc ignores EBADF here).
            // Listed under the lock that pipes are made under (`Spawning.pipes`): a list taken
            // before it missed pipes another test made in between, and a daemon holding the write
            // end of a pipe another test read to its end hung the whole suite.
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
            for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
            return posix_spawn(&child, executable, &actions, nil, argv, envp)
        }
        guard result == 0 else { throw SpawnError(executable: executable, code: result) }
        pid = child
    }

    public var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exitStatus = Self.decode(status); return false }
        return true
    }

    public func signal(_ number: Int32) { if isRunning { kill(pid, number) } }

    /// Sends SIGTERM and waits up to `seconds` for the exit status (SIGKILL after that).
    @discardableResult
    public func terminate(within seconds: Double = 30) -> Int32 {
        if let exitStatus { return exitStatus }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { exitStatus = Self.decode(status); return exitStatus! }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        exitStatus = -9
        return -9
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        if exitStatus == nil { kill(pid, SIGKILL); var status: Int32 = 0; waitpid(pid, &status, 0) }
        unlink(logPath)
    }

    /// The exit code, or minus the signal number.
    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : -signal
    }

    struct SpawnError: Error { let executable: String; let code: Int32 }
}
