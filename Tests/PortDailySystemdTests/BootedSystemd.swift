import Foundation
import PortDailyLogging
import PortDailyTestSupport
import Testing

/// A real systemd 252 booted as PID 1 of private namespaces by `Tests/SystemdHarness/boot-systemd`,
/// with PortDaily installed into it by `scripts/install` (the way an admin installs it).
final class BootedSystemd {
    static let harness = CommandLineTool.repositoryRoot.appendingPathComponent("Tests/SystemdHarness/boot-systemd").path

    /// Root, a systemd binary, unshare and nsenter, and a writable cgroup2 hierarchy: where any
    /// is missing the tests that need a booted systemd report themselves as skipped.
    static let canBoot: Bool = {
        guard getuid() == 0 else { return false }
        let fm = FileManager.default
        let tools = ["/lib/systemd/systemd", "/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/curl"]
        guard tools.allSatisfy(fm.isExecutableFile(atPath:)) else { return false }
        return fm.isWritableFile(atPath: "/sys/fs/cgroup/unified") || fm.isWritableFile(atPath: "/sys/fs/cgroup/cgroup.procs")
    }()

    let pid: String
    let port: Int
    /// For portdaily.socket, distinct from the configured `listen` port.
    let socketPort: Int

    init(name: String) throws {
        port = FreePort.next()
        socketPort = FreePort.next()
        // One retry: on a loaded two-core machine a boot can miss its deadline.
        var boot = try CommandLineTool.shell("\(Self.harness) start \(name)")
        if boot.status != 0 { boot = try CommandLineTool.shell("\(Self.harness) start \(name)-again") }
        guard boot.status == 0 else { throw HarnessError(message: "boot failed: \(boot.stderr)") }
        pid = boot.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit { _ = try? CommandLineTool.shell("\(Self.harness) stop \(pid)") }

    /// Runs a shell command inside the booted system's namespaces.
    @discardableResult
    func run(_ command: String) throws -> CommandLineTool.Output {
        try CommandLineTool(name: "/usr/bin/nsenter").run(["-t", pid, "-a", "/bin/bash", "-c", command])
    }

    /// Installs the built binaries, units, catalog and example config, then points the config's
    /// `listen` at this boot's port and writes the extra YAML given.
    func installPortDaily(extraConfig: String = "") throws {
        let root = CommandLineTool.repositoryRoot.path
        let bin = CommandLineTool.binDirectory.path
        // The booted system has empty tmpfs mounts of its own on these (Tests/SystemdHarness/boot-
        // systemd): a checkout or a build under them is not there for it to install.
        for hidden in ["/run", "/var/lib", "/var/tmp", "/usr/local"] {
            for path in [root, bin] where path == hidden || path.hasPrefix(hidden + "/") {
                throw HarnessError(message: "\(path) is under \(hidden), which the booted systemd mounts empty: clone and build elsewhere")
            }
        }
        let install = try run("cd '\(root)' && bash scripts/install --bin-dir '\(bin)'")
        guard install.status == 0 else { throw HarnessError(message: "install failed: \(install.stderr)") }
        try writeConfig(extraConfig)
    }

    func writeConfig(_ extra: String) throws {
        let example = try String(contentsOfFile: CommandLineTool.repositoryRoot.appendingPathComponent("config/portdaily.yaml").path,
                                 encoding: .utf8)
        let config = try ExampleConfig.patch(example, "listen: 127.0.0.1:8470", "listen: 127.0.0.1:\(port)") + "\n" + extra
        try writeFile("/etc/portdaily/portdaily.yaml", config)
    }

    func writeFile(_ path: String, _ content: String) throws {
        let staged = FileManager.default.temporaryDirectory.appendingPathComponent("portdaily-stage-\(UUID().uuidString)")
        try Data(content.utf8).write(to: staged)
        defer { try? FileManager.default.removeItem(at: staged) }
        let copy = try run("mkdir -p \"$(dirname '\(path)')\" && cp '\(staged.path)' '\(path)'")
        guard copy.status == 0 else { throw HarnessError(message: "writing \(path): \(copy.stderr)") }
    }

    func property(_ unit: String, _ name: String) throws -> String {
        try run("systemctl show -p \(name) --value \(unit)").text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The unit's journal entries as JSON objects, oldest first.
    func journal(_ arguments: String = "-u portdaily.service") throws -> [[String: Any]] {
        let output = try run("journalctl --no-pager -o json \(arguments)")
        return output.text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// HTTP from the host (the booted system shares the host's network).
    func curl(_ path: String, port: Int? = nil) throws -> (status: Int, body: String) {
        let output = try CommandLineTool.shell(
            "curl -s -m 10 -o /dev/stdout -w '\\n%{http_code}' http://127.0.0.1:\(port ?? self.port)\(path)")
        var lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let status = Int(lines.popLast() ?? "") ?? 0
        return (status, lines.joined(separator: "\n"))
    }

    /// Whether `condition` holds at every poll for `seconds` (a check that something does not
    /// happen: it fails at the first poll that sees it).
    func holds(for seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard try condition() else { return false }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }

    /// Polls until `condition` holds or `seconds` pass.
    func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The MESSAGE_IDs the tests look for.
enum EventID {
    static let ready = PortDailyEvent.ready.messageID
    static let reloaded = PortDailyEvent.reloaded.messageID
    static let reloadFailed = PortDailyEvent.reloadFailed.messageID
    static let stopping = PortDailyEvent.stopping.messageID
    /// systemd's own "unit started" message.
    static let systemdUnitStarted = "39f53479d3a045ac8e11786248231fbf"
}
