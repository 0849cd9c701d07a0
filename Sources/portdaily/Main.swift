import ArgumentParser
import Foundation
import PortDailyConfig

/// Runs the command line, with the exit statuses the tool documents: 0 success, 1 when records
/// were rejected or an operation failed, 2 on usage or configuration errors.
@main
enum Main {
    static func main() {
        do {
            var command = try PortDailyCommand.parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as ConfigError {
            Console.error(error.description)
            Foundation.exit(2)
        } catch let error as UsageError {
            Console.error(error.message)
            Foundation.exit(2)
        } catch {
            let code = PortDailyCommand.exitCode(for: error)
            if code == .success {
                print(PortDailyCommand.fullMessage(for: error))
                Foundation.exit(0)
            }
            Console.error(PortDailyCommand.fullMessage(for: error))
            // Argument parsing and validation failures are usage errors.
            Foundation.exit(code == .validationFailure || error is ValidationError ? 2 : 1)
        }
    }
}

struct PortDailyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portdaily",
        abstract: "Consolidated daily reports of in-port service vessels: register, voyages, reports, sealing.",
        subcommands: [VesselsCommand.self, VoyagesCommand.self, ReportsCommand.self, SealCommand.self, TokensCommand.self, UsersCommand.self, FiguresCommand.self, StoreCommand.self,
                      SimulateCommand.self, AISCommand.self])
}

/// A mistake in how the command was called, found after parsing (exit status 2).
struct UsageError: Error {
    let message: String
}
