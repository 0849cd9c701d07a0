import ArgumentParser
import Foundation
import PortDailyCore
import PortDailyStore

struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "API bearer tokens: issue, list, revoke.",
        subcommands: [Issue.self, List.self, Revoke.self])

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token. The secret is printed once, alone on the last line of stdout; only its hash is stored.")

        @OptionGroup var common: CommonOptions
        @OptionGroup var role: RoleOptions
        @Option(help: "A label for listings, e.g. who holds it.") var name: String?

        func run() throws {
            let (configuration, store, _) = try common.open()
            let caller = try role.caller(setup: configuration.setup)
            let (info, secret) = try store.issueToken(for: caller, name: name, now: SystemClock.now)
            print("token \(info.id) issued for \(caller)\(name.map { " (\($0))" } ?? ""); the secret below is shown only once:")
            print(secret)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var common: CommonOptions

        func run() throws {
            let (_, store, _) = try common.open()
            try Console.writeJSON(try store.tokens())
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token; it stops working at once.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The token id (from tokens list).") var id: Int64

        func run() throws {
            let (_, store, _) = try common.open()
            guard try store.revokeToken(id: id, now: SystemClock.now) else {
                Console.error("no active token \(id)")
                throw ExitCode(1)
            }
            print("token \(id) revoked")
        }
    }
}

/// `--role` with `--operator` or `--bureau`: who a token or a console user acts as.
struct RoleOptions: ParsableArguments {
    enum Role: String, ExpressibleByArgument, CaseIterable { case `operator`, bureau, admin }

    @Option(help: "operator, bureau or admin.") var role: Role
    @Option(name: .customLong("operator"), help: "The operator id (role operator).") var operatorID: String?
    @Option(help: "The bureau id (role bureau).") var bureau: String?

    func caller(setup: PortSetup) throws -> Caller {
        switch role {
        case .operator:
            guard let operatorID, !operatorID.isEmpty, bureau == nil else {
                throw UsageError(message: "--role operator needs --operator ID (and no --bureau)")
            }
            return .operator(operatorID)
        case .bureau:
            guard let bureau, operatorID == nil else { throw UsageError(message: "--role bureau needs --bureau ID (and no --operator)") }
            guard setup.bureau(bureau) != nil else { throw UsageError(message: "--bureau: unknown bureau '\(bureau)'") }
            return .bureau(bureau)
        case .admin:
            guard operatorID == nil, bureau == nil else { throw UsageError(message: "--role admin takes no --operator or --bureau") }
            return .admin
        }
    }
}
