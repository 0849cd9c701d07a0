import ArgumentParser
import Foundation
import PortDailyApp
import PortDailyConfig

/// `portdailyd`: the PortDaily daemon. Exit status 0 after a clean stop, 1 on a runtime
/// failure, 2 on a usage or configuration error.
struct PortDailyDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portdailyd",
        abstract: "The PortDaily daemon: HTTP API, day sealing, systemd integration.")

    @Option(help: ArgumentHelp("The configuration file (default: $PORTDAILY_CONFIG, else \(PortDailyConfiguration.defaultPath)).",
                               valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Bind this address instead of the configured one (when not socket-activated).",
                               valueName: "host:port"))
    var listen: String?

    @Option(help: ArgumentHelp("The SQLite database file; overrides the configured one.", valueName: "path"))
    var database: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let daemon = PortDailyDaemon(
            configPath: PortDailyConfiguration.resolvePath(explicit: config, environment: environment),
            overrides: DaemonOverrides(listen: listen, database: database), environment: environment)
        // At medium priority: the main task's default (userInitiated) makes libdispatch try to
        // raise its worker threads' priority, which a hardened unit refuses (and logs).
        let status = await Task.detached(priority: .medium) { await daemon.run() }.value
        if status != 0 { throw ExitCode(status) }
    }
}

// The C library's local time (the stderr log's timestamps) read from /etc/localtime once: with
// TZ unset, glibc checks that file again on every call, which was a fifth of each log line.
setenv("TZ", ":/etc/localtime", 0)

do {
    let command = try PortDailyDaemonCommand.parse()
    try await command.run()
} catch let exit as ExitCode {
    Foundation.exit(exit.rawValue)
} catch {
    let code = PortDailyDaemonCommand.exitCode(for: error)
    if code == .success { print(PortDailyDaemonCommand.fullMessage(for: error)); Foundation.exit(0) }
    FileHandle.standardError.write(Data("portdailyd: \(PortDailyDaemonCommand.fullMessage(for: error))\n".utf8))
    Foundation.exit(2)
}
