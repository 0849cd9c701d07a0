import ArgumentParser
import Foundation
import PortDailyConfig
import PortDailyCore
import PortDailyStore

/// `--config` and `--database`, accepted by every subcommand.
struct CommonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The configuration file (default: $PORTDAILY_CONFIG, else \(PortDailyConfiguration.defaultPath)).",
                               valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("The SQLite database file; overrides the configured one.", valueName: "path"))
    var database: String?

    func loadConfiguration() throws -> PortDailyConfiguration {
        let path = PortDailyConfiguration.resolvePath(explicit: config, environment: ProcessInfo.processInfo.environment)
        var configuration = try ConfigLoader.load(path: path)
        if let database { configuration.database = database }
        return configuration
    }

    /// The configured database file, which must exist (for commands that read it as a file).
    func existingDatabase() throws -> String {
        let path = try loadConfiguration().database
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError(message: "\(path) does not exist") }
        return path
    }

    /// The store at `configuration.database`, opened (created and migrated if need be).
    static func openStore(_ configuration: PortDailyConfiguration,
                          checkpoints: CheckpointPolicy = CheckpointPolicy()) throws -> PortDailyStore {
        do { return try PortDailyStore(path: configuration.database, checkpoints: checkpoints) } catch {
            throw UsageError(message: "cannot open the database \(configuration.database): \(error)")
        }
    }

    /// The configuration, the store it names, and the rules it implies.
    func open(checkpoints: CheckpointPolicy = CheckpointPolicy()) throws -> (PortDailyConfiguration, PortDailyStore, StoreRules) {
        let configuration = try loadConfiguration()
        let store = try Self.openStore(configuration, checkpoints: checkpoints)
        do { try store.adoptTimeZone(configuration.timeZone.identifier) } catch let mismatch as TimeZoneMismatch {
            throw UsageError(message: "\(configuration.database): \(mismatch)")
        }
        return (configuration, store, StoreRules(setup: configuration.setup, calendar: configuration.calendar))
    }
}


/// Reads a file (or stdin for `-`) in chunks, handing each to `body`.
enum InputFile {
    static func read(_ path: String, chunkSize: Int = 1 << 20, _ body: (Data) throws -> Void) throws {
        let handle: FileHandle
        if path == "-" { handle = .standardInput } else {
            guard let opened = FileHandle(forReadingAtPath: path) else { throw UsageError(message: "cannot read \(path)") }
            handle = opened
        }
        defer { if path != "-" { try? handle.close() } }
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty { try body(chunk) }
    }
}


/// Who the audit trail names for the command line's writes: the system user who ran it (the one
/// behind sudo, when it was sudo).
enum CommandLineActor {
    static let current: AuditActor = {
        if let user = ProcessInfo.processInfo.environment["SUDO_USER"], !user.isEmpty { return .commandLine(user: user) }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return .commandLine(user: String(cString: name)) }
        return .commandLine(user: "uid \(getuid())")
    }()
}
