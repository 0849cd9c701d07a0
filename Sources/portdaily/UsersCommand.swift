import ArgumentParser
import Foundation
import PortDailyCore
import PortDailyStore

/// The web console's people. Passwords are read from stdin (never from the command line, where
/// `ps` and the shell's history would show them) and stored as bcrypt hashes.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "People of the web console: add, list, disable, set a password.",
        subcommands: [Add.self, List.self, Disable.self, Password.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a person who signs in to the console (/ui/).")
        @OptionGroup var common: CommonOptions
        @Option(help: "The user name typed at sign-in.") var name: String
        @OptionGroup var role: RoleOptions
        @Flag(help: "Read the password from the first line of stdin (required).") var passwordStdin = false

        func run() throws {
            let (configuration, store, _) = try common.open()
            let caller = try role.caller(setup: configuration.setup)
            let password = try UsersCommand.readPassword(passwordStdin)
            let user = try UsersCommand.refusingBadInput { try store.addUser(name: name, caller: caller, password: password, now: SystemClock.now, by: CommandLineActor.current) }
            print("user \(user.name) added as \(caller)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the console's users (never a password or its hash).")
        @OptionGroup var common: CommonOptions

        func run() throws {
            let (_, store, _) = try common.open()
            try Console.writeJSON(try store.users().map(UserListing.init))
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user; their sessions end at once.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The user name.") var name: String

        func run() throws {
            let (_, store, _) = try common.open()
            let changed = try UsersCommand.refusingBadInput { try store.disableUser(name: name, now: SystemClock.now, by: CommandLineActor.current) }
            print(changed ? "user \(name) disabled" : "user \(name) was disabled already")
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password; their sessions end at once.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The user name.") var name: String
        @Flag(help: "Read the password from the first line of stdin (required).") var passwordStdin = false

        func run() throws {
            let (_, store, _) = try common.open()
            let password = try UsersCommand.readPassword(passwordStdin)
            try UsersCommand.refusingBadInput { try store.setPassword(name: name, password: password, now: SystemClock.now, by: CommandLineActor.current) }
            print("password of \(name) changed")
        }
    }

    static func readPassword(_ fromStdin: Bool) throws -> String {
        guard fromStdin else { throw UsageError(message: "give the password on stdin with --password-stdin") }
        guard let line = readLine(strippingNewline: true) else { throw UsageError(message: "no password on stdin") }
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }

    /// A refused name or password is a usage error (exit 2) naming what was wrong.
    @discardableResult
    static func refusingBadInput<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ConsoleUserError { throw UsageError(message: error.description) }
    }
}

/// A console user as `users list` prints it.
struct UserListing: Encodable {
    let name: String
    let role: String
    let `operator`: String?
    let bureau: String?
    let createdAt: Instant
    let disabledAt: Instant?
    let lastSignInAt: Instant?

    init(_ user: ConsoleUser) {
        name = user.name
        role = user.caller.role
        if case .operator(let id) = user.caller { self.operator = id } else { self.operator = nil }
        if case .bureau(let id) = user.caller { bureau = id } else { bureau = nil }
        createdAt = user.createdAt
        disabledAt = user.disabledAt
        lastSignInAt = user.lastSignInAt
    }
}
